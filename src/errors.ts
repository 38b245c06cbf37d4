/**
 * Node.js-compatible error objects.
 *
 * Every error produced here is meant to be indistinguishable from the one
 * Node.js itself throws for the same code: same base constructor
 * (`err.constructor === TypeError` etc.), same inherited `name`, an own
 * enumerable `code` property, the exact same `message`, and the
 * `TypeError [ERR_X]: message` form for both `toString()` and the first line
 * of `stack`.
 *
 * The messages and codes are facts taken over from Node.js (lib/internal/
 * errors.js); where the Node lines differ, the running line's behaviour is
 * followed (see ./node-line). The implementation is our own.
 */

import { format, inspect, getSystemErrorName } from 'util';
import { fileUrlPathErrorHasInput, receivedInstanceNeedsNonEmptyName } from './node-line';

/** Any constructor we can use as the base class of a coded error. */
export type ErrorBase = new (message?: string) => Error;

/** Shape shared by every coded error created by this module. */
export interface NodeError extends Error {
  code: string;
}

/** A class created by {@link makeNodeError}. */
export interface NodeErrorConstructor<A extends unknown[]> {
  new (...args: A): NodeError;
  readonly prototype: NodeError;
  /** The error code all instances carry. */
  readonly code: string;
}

/**
 * Marker present (via a prototype getter) on every coded error made here.
 * Node keeps an equivalent marker private; this one is ours.
 */
export const kIsNodeError: unique symbol = Symbol('kIsNodeError');

/** True for errors created by the coded-error classes of this module. */
export function isNodeError(value: unknown): value is NodeError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [kIsNodeError]?: unknown })[kIsNodeError] === true
  );
}

function internalAssert(condition: unknown, message: string): asserts condition {
  if (!condition) {
    const err = new Error(`deka-ipc internal assertion failed: ${message}`);
    (err as NodeError).code = 'ERR_INTERNAL_ASSERTION';
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Stack header handling
// ---------------------------------------------------------------------------

// While > 0 we are inside `captureNodeStack` and the error's `name` has been
// temporarily decorated with its code; toString() must not add it twice.
let decoratingName = 0;

/**
 * Node formats the first stack line of its coded errors as
 * `${name} [${code}]: ${message}` -- unless the user replaced
 * `Error.prepareStackTrace`, in which case the user's function sees the plain
 * error.  Node's own default is a function named `ErrorPrepareStackTrace`
 * (or nothing at all).
 */
function usesDefaultPrepareStackTrace(): boolean {
  const prepare: unknown = (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  return (
    prepare === undefined ||
    (typeof prepare === 'function' && prepare.name === 'ErrorPrepareStackTrace')
  );
}

/**
 * (Re)capture the stack of `err`, omitting `fn` and every frame above it,
 * and render its header line the way Node renders its own coded errors.
 *
 * V8 renders the header lazily from `name` and `message`, so the name is
 * decorated with the code, the stack is rendered right away, and the
 * decoration is removed again.
 */
// eslint-disable-next-line @typescript-eslint/ban-types
export function captureNodeStack(err: Error, fn?: Function): void {
  if (typeof Error.captureStackTrace !== 'function') return;
  if (!usesDefaultPrepareStackTrace()) {
    Error.captureStackTrace(err, fn);
    return;
  }
  const ownName = Object.getOwnPropertyDescriptor(err, 'name');
  decoratingName++;
  try {
    Object.defineProperty(err, 'name', {
      value: `${err.name} [${(err as Partial<NodeError>).code}]`,
      writable: true,
      enumerable: false,
      configurable: true,
    });
    Error.captureStackTrace(err, fn);
    void err.stack; // render now, while the name is decorated
  } finally {
    if (ownName !== undefined) Object.defineProperty(err, 'name', ownName);
    else Reflect.deleteProperty(err, 'name');
    decoratingName--;
  }
}

/**
 * Return `err` with its stack re-captured so it starts at the caller of
 * `fn` (the equivalent of Node's `hideStackFrames`). Use as
 * `throw hideFrames(new ERR_X(...), myValidator)`.
 */
// eslint-disable-next-line @typescript-eslint/ban-types
export function hideFrames<E extends Error>(err: E, fn: Function): E {
  if (isNodeError(err)) captureNodeStack(err, fn);
  else if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(err, fn);
  return err;
}

// ---------------------------------------------------------------------------
// Class factory
// ---------------------------------------------------------------------------

function countPlaceholders(template: string): number {
  const matches = template.match(/%[dfijoOs]/g);
  return matches === null ? 0 : matches.length;
}

/**
 * Create a coded error class.
 *
 * - `message` a string: a util.format() template; the constructor takes
 *   exactly as many arguments as the template has placeholders.  The message
 *   is passed to the base constructor (own keys: stack, message, code).
 * - `message` a function: called with the error as `this` and the constructor
 *   arguments, which must be at least as many as it declares; the message is
 *   defined after construction (own keys: stack, code, what the function
 *   sets, message).
 */
export function makeNodeError<A extends unknown[]>(
  Base: ErrorBase,
  key: string,
  message: string | ((this: NodeError, ...args: A) => string),
): NodeErrorConstructor<A> {
  const expectedArgs = typeof message === 'string' ? countPlaceholders(message) : -1;

  class NodeError extends Base {
    code: string = key;

    constructor(...args: A) {
      let fixed: string | undefined;
      if (typeof message === 'string') {
        internalAssert(
          args.length === expectedArgs,
          `Code: ${key}; The provided arguments length (${args.length}) does not ` +
            `match the required ones (${expectedArgs}).`,
        );
        fixed = expectedArgs === 0 ? message : format(message, ...args);
      }
      super(fixed);
      if (typeof message === 'function') {
        internalAssert(
          message.length <= args.length,
          `Code: ${key}; The provided arguments length (${args.length}) does not ` +
            `match the required ones (${message.length}).`,
        );
        Object.defineProperty(this, 'message', {
          value: Reflect.apply(message, this, args),
          enumerable: false,
          writable: true,
          configurable: true,
        });
      }
      captureNodeStack(this, new.target);
    }

    override toString(): string {
      if (decoratingName > 0) return Error.prototype.toString.call(this);
      return `${this.name} [${key}]: ${this.message}`;
    }
  }

  // Like Node: `err.constructor` is the plain base class (TypeError, ...).
  Object.defineProperty(NodeError.prototype, 'constructor', {
    get() {
      return Base;
    },
    enumerable: false,
    configurable: true,
  });
  Object.defineProperty(NodeError.prototype, kIsNodeError, {
    get() {
      return true;
    },
    enumerable: false,
    configurable: true,
  });
  Object.defineProperty(NodeError, 'code', {
    value: key,
    enumerable: false,
    writable: false,
    configurable: true,
  });

  return NodeError as unknown as NodeErrorConstructor<A>;
}

// ---------------------------------------------------------------------------
// Message helpers (behaviour of Node's errors.js)
// ---------------------------------------------------------------------------

const kTypes = [
  'string',
  'function',
  'number',
  'object',
  // 'Function' and 'Object' are accepted as alternatives to the lower-case form.
  'Function',
  'Object',
  'boolean',
  'bigint',
  'symbol',
];

const classRegExp = /^[A-Z][a-zA-Z0-9]*$/;

/** 'A', 'A and B', 'A, B, and C', ... (`type` replaces 'and'). */
export function formatList(array: readonly string[], type = 'and'): string {
  switch (array.length) {
    case 0:
      return '';
    case 1:
      return `${array[0]}`;
    case 2:
      return `${array[0]} ${type} ${array[1]}`;
    case 3:
      return `${array[0]}, ${array[1]}, ${type} ${array[2]}`;
    default:
      return `${array.slice(0, -1).join(', ')}, ${type} ${array[array.length - 1]}`;
  }
}

/** The `Received ...` description used by ERR_INVALID_ARG_TYPE. */
export function determineSpecificType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';

  const type = typeof value;
  switch (type) {
    case 'bigint':
      return `type bigint (${value as bigint}n)`;
    case 'number': {
      const n = value as number;
      if (n === 0) return 1 / n === -Infinity ? 'type number (-0)' : 'type number (0)';
      if (n !== n) return 'type number (NaN)';
      if (n === Infinity) return 'type number (Infinity)';
      if (n === -Infinity) return 'type number (-Infinity)';
      return `type number (${n})`;
    }
    case 'boolean':
      return value ? 'type boolean (true)' : 'type boolean (false)';
    case 'symbol':
      return `type symbol (${String(value)})`;
    case 'function':
      return `function ${(value as { name: string }).name}`;
    case 'object': {
      const ctor = (value as { constructor?: unknown }).constructor;
      if (receivedInstanceNeedsNonEmptyName) {
        const name = (ctor as { name?: unknown } | null | undefined)?.name;
        if (typeof name === 'string' && name !== '') return `an instance of ${name}`;
      } else if (ctor && 'name' in (ctor as object)) {
        // Node 20/22: a primitive `constructor` makes this `in` throw a TypeError.
        return `an instance of ${(ctor as { name: unknown }).name}`;
      }
      return `${inspect(value, { depth: -1 })}`;
    }
    case 'string': {
      let s = value as string;
      if (s.length > 28) s = `${s.slice(0, 25)}...`;
      if (s.indexOf("'") === -1) return `type string ('${s}')`;
      return `type string (${JSON.stringify(s)})`;
    }
    /* c8 ignore start */
    default: {
      // Unreachable (every typeof result is handled above); kept as in Node.
      let s = inspect(value, { colors: false });
      if (s.length > 28) s = `${s.slice(0, 25)}...`;
      return `type ${type} (${s})`;
    }
    /* c8 ignore stop */
  }
}

function invalidArgTypeMessage(
  name: string,
  expected: string | readonly string[],
  actual: unknown,
): string {
  internalAssert(typeof name === 'string', "'name' must be a string");
  const expectedList: readonly string[] = Array.isArray(expected)
    ? expected
    : [expected as string];

  let msg = 'The ';
  if (name.endsWith(' argument')) {
    // For cases like 'first argument'
    msg += `${name} `;
  } else {
    const kind = name.includes('.') ? 'property' : 'argument';
    msg += `"${name}" ${kind} `;
  }
  msg += 'must be ';

  const types: string[] = [];
  const instances: string[] = [];
  const other: string[] = [];

  for (const value of expectedList) {
    internalAssert(typeof value === 'string', 'All expected entries have to be of type string');
    if (kTypes.includes(value)) {
      types.push(value.toLowerCase());
    } else if (classRegExp.test(value)) {
      instances.push(value);
    } else {
      other.push(value);
    }
  }

  // When instances are listed, a plain `object` is spelled out as an
  // instance of Object to show the difference.
  if (instances.length > 0) {
    const pos = types.indexOf('object');
    if (pos !== -1) {
      types.splice(pos, 1);
      instances.push('Object');
    }
  }

  if (types.length > 0) {
    msg += `${types.length > 1 ? 'one of type' : 'of type'} ${formatList(types, 'or')}`;
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }

  if (instances.length > 0) {
    msg += `an instance of ${formatList(instances, 'or')}`;
    if (other.length > 0) msg += ' or ';
  }

  if (other.length > 0) {
    if (other.length > 1) {
      msg += `one of ${formatList(other, 'or')}`;
    } else {
      if (other[0].toLowerCase() !== other[0]) msg += 'an ';
      msg += `${other[0]}`;
    }
  }

  msg += `. Received ${determineSpecificType(actual)}`;
  return msg;
}

function invalidArgValueMessage(name: string, value: unknown, reason = 'is invalid'): string {
  let inspected = inspect(value);
  if (inspected.length > 128) inspected = `${inspected.slice(0, 128)}...`;
  const kind = name.includes('.') ? 'property' : 'argument';
  return `The ${kind} '${name}' ${reason}. Received ${inspected}`;
}

function missingArgsMessage(...args: Array<string | readonly string[]>): string {
  internalAssert(args.length > 0, 'At least one arg needs to be specified');
  const wrap = (a: string): string => `"${a}"`;
  const names = args.map((a) => (Array.isArray(a) ? a.map(wrap).join(' or ') : wrap(a as string)));
  const len = args.length;
  return `The ${formatList(names)} argument${len > 1 ? 's' : ''} must be specified`;
}

function invalidUrlSchemeMessage(expected: string | readonly string[]): string {
  const list: readonly string[] = typeof expected === 'string' ? [expected] : expected;
  internalAssert(list.length <= 2, 'at most two schemes');
  const res =
    list.length === 2 ? `one of scheme ${list[0]} or ${list[1]}` : `of scheme ${list[0]}`;
  return `The URL must be ${res}`;
}

// ---------------------------------------------------------------------------
// The codes
// ---------------------------------------------------------------------------

/** `new ERR_INVALID_ARG_TYPE(name, expected, actual)` -> TypeError */
export const ERR_INVALID_ARG_TYPE = makeNodeError(
  TypeError,
  'ERR_INVALID_ARG_TYPE',
  invalidArgTypeMessage,
);

/** `new ERR_INVALID_ARG_VALUE(name, value, reason?)` -> TypeError */
export const ERR_INVALID_ARG_VALUE = makeNodeError(
  TypeError,
  'ERR_INVALID_ARG_VALUE',
  invalidArgValueMessage,
);

/** `new ERR_MISSING_ARGS(...names)`; a name may be a list ('"a" or "b"'). */
export const ERR_MISSING_ARGS = makeNodeError(TypeError, 'ERR_MISSING_ARGS', missingArgsMessage);

export const ERR_IPC_CHANNEL_CLOSED = makeNodeError<[]>(
  Error,
  'ERR_IPC_CHANNEL_CLOSED',
  'Channel closed',
);

export const ERR_IPC_DISCONNECTED = makeNodeError<[]>(
  Error,
  'ERR_IPC_DISCONNECTED',
  'IPC channel is already disconnected',
);

/** `new ERR_CHILD_PROCESS_IPC_REQUIRED('options.stdio')` */
export const ERR_CHILD_PROCESS_IPC_REQUIRED = makeNodeError<[name: unknown]>(
  Error,
  'ERR_CHILD_PROCESS_IPC_REQUIRED',
  "Forked processes must have an IPC channel, missing value 'ipc' in %s",
);

export const ERR_INVALID_HANDLE_TYPE = makeNodeError<[]>(
  TypeError,
  'ERR_INVALID_HANDLE_TYPE',
  'This handle type cannot be sent',
);

/** `new ERR_INVALID_URL_SCHEME('file')` or `(['a', 'b'])` */
export const ERR_INVALID_URL_SCHEME = makeNodeError(
  TypeError,
  'ERR_INVALID_URL_SCHEME',
  invalidUrlSchemeMessage,
);

/**
 * `new ERR_INVALID_FILE_URL_PATH(detail)`, from Node 22 on
 * `new ERR_INVALID_FILE_URL_PATH(detail, input)` which keeps the URL as `err.input`;
 * on Linux Node's detail is 'must not include encoded / characters'.
 */
export const ERR_INVALID_FILE_URL_PATH: NodeErrorConstructor<[detail: unknown, input?: unknown]> =
  fileUrlPathErrorHasInput
    ? makeNodeError<[detail: unknown, input?: unknown]>(
        TypeError,
        'ERR_INVALID_FILE_URL_PATH',
        function fileUrlPathMessage(this: NodeError & { input?: unknown }, detail, input) {
          this.input = input;
          return `File URL path ${detail}`;
        },
      )
    : makeNodeError<[detail: unknown, input?: unknown]>(
        TypeError,
        'ERR_INVALID_FILE_URL_PATH',
        'File URL path %s',
      );

/** `new ERR_INVALID_FILE_URL_HOST(process.platform)` */
export const ERR_INVALID_FILE_URL_HOST = makeNodeError<[platform: unknown]>(
  TypeError,
  'ERR_INVALID_FILE_URL_HOST',
  'File URL host must be "localhost" or empty on %s',
);

// ---------------------------------------------------------------------------
// Errno errors
// ---------------------------------------------------------------------------

/**
 * Node's ErrnoException (formerly util._errnoException): `${syscall} ${CODE}`
 * with `.errno` (negative number), `.code` and `.syscall`.
 */
export class ErrnoException extends Error {
  declare errno: number;
  declare code: string;
  declare syscall: string;
  declare path?: string;
  declare spawnargs?: string[];

  constructor(err: number, syscall: string, original?: string) {
    // getSystemErrorName type-checks `err` (negative integer) like Node does.
    const code = getSystemErrorName(err);
    super(original ? `${syscall} ${code} ${original}` : `${syscall} ${code}`);
    this.errno = err;
    this.code = code;
    this.syscall = syscall;
  }
}

Object.defineProperty(ErrnoException.prototype, 'constructor', {
  get() {
    return Error;
  },
  enumerable: false,
  configurable: true,
});

/**
 * Build Node's ErrnoException from a negative (libuv-style) errno, e.g.
 * `errnoException(-32, 'write')` -> Error 'write EPIPE'.
 */
export function errnoException(err: number, syscall: string, original?: string): ErrnoException {
  const ex = new ErrnoException(err, syscall, original);
  if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(ex, errnoException);
  return ex;
}
