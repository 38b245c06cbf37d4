/**
 * Where the maintained Node lines differ in the errors and validation deka-ipc reproduces.
 *
 * deka-ipc follows the Node that runs it. Each difference is one named fact saying which
 * line changed what; src/errors.ts and src/validators.ts read these, and
 * test/errors.test.ts checks every one of them against the running Node. Odd (short-lived)
 * lines are not supported, so a fact holds "from line N on".
 *
 * The facts are keyed on the major version rather than probed: a probe would run Node's own
 * validators at load (this module is loaded by the preload in every process) or on a first
 * error (where Node 20/22 can leave Error.stackTraceLimit at 0), and test/errors.test.ts
 * checks every fact against the running Node, so a release that moved would show up there.
 */

const major = Number.parseInt(process.versions.node, 10);

/** The running Node's major version (20, 22, 24, 26, ...). */
export const nodeMajor: number = major;

/**
 * Node 22: ERR_INVALID_FILE_URL_PATH takes the offending URL as a second argument and
 * keeps it as an own, enumerable `input` property (own keys: stack, code, input, message).
 * Node 20: one argument, no `input`.
 */
export const fileUrlPathErrorHasInput = major >= 22;

/**
 * Node 24: ERR_INVALID_ARG_TYPE's "Received an instance of X" needs `value.constructor.name`
 * to be a non-empty string; any other object is shown as `inspect(value, { depth: -1 })`.
 * Node 20 and 22 use any `name` found with the `in` operator, and throw a plain TypeError
 * ("Cannot use 'in' operator ...") when `constructor` is a primitive, e.g. `{ constructor: 5 }`.
 */
export const receivedInstanceNeedsNonEmptyName = major >= 24;

/**
 * Node 24: validateArray()'s reason for a too-short array is "must have a length of at
 * least N"; Node 20 and 22 say "must be longer than N" (for the same test, length < N).
 */
export const arrayMinLengthSaysAtLeast = major >= 24;

/**
 * Node 26: the deprecated `_channel` alias of `channel` (DEP0129) is gone from ChildProcess
 * and from `process`; Node 20-24 define it, with a deprecation warning on use.
 */
export const channelAliasRemoved = major >= 26;
