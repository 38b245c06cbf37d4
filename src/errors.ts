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

import { format, getSystemErrorName } from 'util';
import { fileUrlPathErrorHasInput } from './node-line';
import {
  internalAssert,
  invalidArgTypeMessage,
  invalidArgValueMessage,
  missingArgsMessage,
  invalidUrlSchemeMessage,
} from './error-messages';

export { formatList, determineSpecificType } from './error-messages';

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
