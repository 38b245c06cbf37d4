/**
 * Argument validators that behave like Node's internal ones (lib/internal/
 * validators.js, the checks in lib/child_process.js, getValidatedPath from
 * lib/internal/fs/utils.js, convertToValidSignal from lib/internal/util.js)
 * and throw the same errors with the same messages, in the same order, as the
 * running Node line (the differences between lines are in ./node-line).
 *
 * Every thrown error has its stack start at the caller of the validator, as
 * Node's hideStackFrames() arranges for its own validators.
 */

import { constants as osConstants } from 'os';
import { types as utilTypes } from 'util';
import { URL as NodeURL, fileURLToPath as nodeFileURLToPath } from 'url';

import {
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_INVALID_FILE_URL_HOST,
  ERR_INVALID_FILE_URL_PATH,
  ERR_INVALID_URL_SCHEME,
  ERR_OUT_OF_RANGE,
  ERR_UNKNOWN_SIGNAL,
  hideFrames,
} from './errors';
import {
  arrayMinLengthSaysAtLeast,
  fileUrlPathErrorHasInput,
  spawnNumbersUseGenericValidators,
} from './node-line';

const signals = osConstants.signals as Readonly<Record<string, number>>;

// ---------------------------------------------------------------------------
// Small predicates
// ---------------------------------------------------------------------------

export function isInt32(value: unknown): value is number {
  return value === ((value as number) | 0);
}

export function isUint32(value: unknown): value is number {
  return value === (value as number) >>> 0;
}

// ---------------------------------------------------------------------------
// Generic validators
// ---------------------------------------------------------------------------

export function validateString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'string', value), validateString);
  }
}

// eslint-disable-next-line @typescript-eslint/ban-types
export function validateFunction(value: unknown, name: string): asserts value is Function {
  if (typeof value !== 'function') {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'Function', value), validateFunction);
  }
}

export function validateBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'boolean', value), validateBoolean);
  }
}

/** `min`/`max` default to the safe-integer range, as in Node. */
export function validateInteger(
  value: unknown,
  name: string,
  min: number = Number.MIN_SAFE_INTEGER,
  max: number = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== 'number') {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'number', value), validateInteger);
  }
  if (!Number.isInteger(value)) {
    throw hideFrames(new ERR_OUT_OF_RANGE(name, 'an integer', value), validateInteger);
  }
  if (value < min || value > max) {
    throw hideFrames(new ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value), validateInteger);
  }
}

export function validateInt32(
  value: unknown,
  name: string,
  min = -2147483648,
  max = 2147483647,
): asserts value is number {
  if (typeof value !== 'number') {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'number', value), validateInt32);
  }
  if (!Number.isInteger(value)) {
    throw hideFrames(new ERR_OUT_OF_RANGE(name, 'an integer', value), validateInt32);
  }
  if (value < min || value > max) {
    throw hideFrames(new ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value), validateInt32);
  }
}

/** `positive` makes 0 invalid (range 1..2**32-1 instead of 0..2**32-1). */
export function validateUint32(
  value: unknown,
  name: string,
  positive = false,
): asserts value is number {
  if (typeof value !== 'number') {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'number', value), validateUint32);
  }
  if (!Number.isInteger(value)) {
    throw hideFrames(new ERR_OUT_OF_RANGE(name, 'an integer', value), validateUint32);
  }
  const min = positive ? 1 : 0;
  const max = 4_294_967_295;
  if (value < min || value > max) {
    throw hideFrames(new ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value), validateUint32);
  }
}

export function validateNumber(
  value: unknown,
  name: string,
  min: number | undefined = undefined,
  max?: number,
): asserts value is number {
  if (typeof value !== 'number') {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'number', value), validateNumber);
  }
  if (
    (min != null && value < min) ||
    (max != null && value > max) ||
    ((min != null || max != null) && Number.isNaN(value))
  ) {
    const range =
      `${min != null ? `>= ${min}` : ''}` +
      `${min != null && max != null ? ' && ' : ''}` +
      `${max != null ? `<= ${max}` : ''}`;
    throw hideFrames(new ERR_OUT_OF_RANGE(name, range, value), validateNumber);
  }
}

/**
 * Throws ERR_INVALID_ARG_VALUE "must be one of: 'a', 'b', undefined" unless
 * `oneOf` includes `value` (SameValueZero, like Array#includes).
 */
export function validateOneOf<T>(
  value: unknown,
  name: string,
  oneOf: readonly T[],
): asserts value is T {
  if (!oneOf.includes(value as T)) {
    const allowed = oneOf
      .map((v) => (typeof v === 'string' ? `'${v}'` : String(v)))
      .join(', ');
    const reason = 'must be one of: ' + allowed;
    throw hideFrames(new ERR_INVALID_ARG_VALUE(name, value, reason), validateOneOf);
  }
}

// Node 20 passes these as bit flags; we accept both the flags and an object.
export const kValidateObjectNone = 0;
export const kValidateObjectAllowNullable = 1 << 0;
export const kValidateObjectAllowArray = 1 << 1;
export const kValidateObjectAllowFunction = 1 << 2;
export const kValidateObjectAllowObjects = kValidateObjectAllowArray | kValidateObjectAllowFunction;
export const kValidateObjectAllowObjectsAndNull =
  kValidateObjectAllowNullable | kValidateObjectAllowArray | kValidateObjectAllowFunction;

export interface ValidateObjectOptions {
  /** Accept arrays (rejected by default). */
  allowArray?: boolean;
  /** Accept functions (rejected by default). */
  allowFunction?: boolean;
  /** Accept null (rejected by default). */
  nullable?: boolean;
}

function objectFlags(options: ValidateObjectOptions | number | undefined | null): number {
  if (options == null) return kValidateObjectNone;
  if (typeof options === 'number') return options;
  return (
    (options.nullable ? kValidateObjectAllowNullable : 0) |
    (options.allowArray ? kValidateObjectAllowArray : 0) |
    (options.allowFunction ? kValidateObjectAllowFunction : 0)
  );
}

/**
 * ERR_INVALID_ARG_TYPE "must be of type object" unless `value` is an object;
 * by default null, arrays and functions are rejected.
 */
export function validateObject(
  value: unknown,
  name: string,
  options: ValidateObjectOptions & { nullable: true },
): asserts value is object | null;
export function validateObject(
  value: unknown,
  name: string,
  options?: ValidateObjectOptions | number,
): asserts value is object;
export function validateObject(
  value: unknown,
  name: string,
  options?: ValidateObjectOptions | number,
): void {
  const flags = objectFlags(options);
  let ok: boolean;
  if (flags === kValidateObjectNone) {
    ok = value !== null && !Array.isArray(value) && typeof value === 'object';
  } else {
    const typeofValue = typeof value;
    ok = !(
      ((flags & kValidateObjectAllowNullable) === 0 && value === null) ||
      ((flags & kValidateObjectAllowArray) === 0 && Array.isArray(value)) ||
      (typeofValue !== 'object' &&
        ((flags & kValidateObjectAllowFunction) === 0 || typeofValue !== 'function'))
    );
  }
  if (!ok) {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'Object', value), validateObject);
  }
}

/** ERR_INVALID_ARG_TYPE unless an array; ERR_INVALID_ARG_VALUE if shorter than minLength. */
export function validateArray(
  value: unknown,
  name: string,
  minLength = 0,
): asserts value is unknown[] {
  if (!Array.isArray(value)) {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'Array', value), validateArray);
  }
  if (value.length < minLength) {
    const reason = arrayMinLengthSaysAtLeast
      ? `must have a length of at least ${minLength}`
      : `must be longer than ${minLength}`;
    throw hideFrames(new ERR_INVALID_ARG_VALUE(name, value, reason), validateArray);
  }
}

/** undefined is accepted; otherwise an object with an `aborted` property. */
export function validateAbortSignal(
  signal: unknown,
  name: string,
): asserts signal is AbortSignal | undefined {
  if (
    signal !== undefined &&
    (signal === null || typeof signal !== 'object' || !('aborted' in signal))
  ) {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal), validateAbortSignal);
  }
}

/** A signal name known to the OS (case-sensitive, with a hint for case). */
export function validateSignalName(signal: unknown, name = 'signal'): asserts signal is string {
  if (typeof signal !== 'string') {
    throw hideFrames(new ERR_INVALID_ARG_TYPE(name, 'string', signal), validateSignalName);
  }
  if (!Object.prototype.hasOwnProperty.call(signals, signal)) {
    if (Object.prototype.hasOwnProperty.call(signals, signal.toUpperCase())) {
      throw hideFrames(
        new ERR_UNKNOWN_SIGNAL(signal + ' (signals must use all capital letters)'),
        validateSignalName,
      );
    }
    throw hideFrames(new ERR_UNKNOWN_SIGNAL(signal), validateSignalName);
  }
}

// ---------------------------------------------------------------------------
// child_process specific
// ---------------------------------------------------------------------------

/** Strings must not contain NUL: ERR_INVALID_ARG_VALUE 'must be a string without null bytes'. */
export function validateArgumentNullCheck(arg: unknown, propName: string): void {
  if (typeof arg === 'string' && arg.includes('\u0000')) {
    throw hideFrames(
      new ERR_INVALID_ARG_VALUE(propName, arg, 'must be a string without null bytes'),
      validateArgumentNullCheck,
    );
  }
}

/** validateArgumentNullCheck on every element, naming it `${propName}[i]`. */
export function validateArgumentsNullCheck(args: ArrayLike<unknown>, propName: string): void {
  for (let i = 0; i < args.length; ++i) {
    const arg = args[i];
    if (typeof arg === 'string' && arg.includes('\u0000')) {
      throw hideFrames(
        new ERR_INVALID_ARG_VALUE(`${propName}[${i}]`, arg, 'must be a string without null bytes'),
        validateArgumentsNullCheck,
      );
    }
  }
}

/**
 * null/undefined or a non-negative integer: ERR_OUT_OF_RANGE 'timeout' "an unsigned
 * integer"; from Node 26 on validateInteger(timeout, 'timeout', 0).
 */
export function validateTimeout(timeout: unknown): asserts timeout is number | null | undefined {
  if (spawnNumbersUseGenericValidators) {
    if (timeout == null) return;
    try {
      validateInteger(timeout, 'timeout', 0);
    } catch (err) {
      throw hideFrames(err as Error, validateTimeout);
    }
    return;
  }
  if (timeout != null && !(Number.isInteger(timeout) && (timeout as number) >= 0)) {
    throw hideFrames(
      new ERR_OUT_OF_RANGE('timeout', 'an unsigned integer', timeout),
      validateTimeout,
    );
  }
}

/**
 * null/undefined or a number >= 0: ERR_OUT_OF_RANGE 'options.maxBuffer' "a positive
 * number"; from Node 26 on validateNumber(maxBuffer, 'options.maxBuffer', 0).
 */
export function validateMaxBuffer(
  maxBuffer: unknown,
): asserts maxBuffer is number | null | undefined {
  if (spawnNumbersUseGenericValidators) {
    if (maxBuffer == null) return;
    try {
      validateNumber(maxBuffer, 'options.maxBuffer', 0);
    } catch (err) {
      throw hideFrames(err as Error, validateMaxBuffer);
    }
    return;
  }
  if (maxBuffer != null && !(typeof maxBuffer === 'number' && maxBuffer >= 0)) {
    throw hideFrames(
      new ERR_OUT_OF_RANGE('options.maxBuffer', 'a positive number', maxBuffer),
      validateMaxBuffer,
    );
  }
}

let signalsByNumber: Record<number, string> | undefined;

function signalName(signal: number): string | undefined {
  if (signalsByNumber === undefined) {
    signalsByNumber = Object.create(null) as Record<number, string>;
    for (const key of Object.keys(signals)) signalsByNumber[signals[key]] = key;
  }
  return signalsByNumber[signal];
}

/**
 * A known signal number, or a signal name in any case ('sigterm' -> 15);
 * anything else throws ERR_UNKNOWN_SIGNAL.
 */
export function convertToValidSignal(signal: unknown): number {
  if (typeof signal === 'number' && signalName(signal)) return signal;

  if (typeof signal === 'string') {
    const upper = signal.toUpperCase();
    const num = Object.prototype.hasOwnProperty.call(signals, upper) ? signals[upper] : undefined;
    if (num) return num;
  }

  throw hideFrames(new ERR_UNKNOWN_SIGNAL(signal), convertToValidSignal);
}

/**
 * The `killSignal` option: undefined stays undefined, strings and numbers go
 * through convertToValidSignal, anything else is ERR_INVALID_ARG_TYPE.
 */
export function sanitizeKillSignal(killSignal: unknown): number | undefined {
  if (typeof killSignal === 'string' || typeof killSignal === 'number') {
    try {
      return convertToValidSignal(killSignal);
    } catch (err) {
      throw hideFrames(err as Error, sanitizeKillSignal);
    }
  } else if (killSignal != null) {
    throw hideFrames(
      new ERR_INVALID_ARG_TYPE('options.killSignal', ['string', 'number'], killSignal),
      sanitizeKillSignal,
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Paths and file: URLs
// ---------------------------------------------------------------------------

/** Node's duck-typed URL check (a WHATWG URL, not a legacy url.parse() object). */
export function isURL(value: unknown): value is URL {
  const v = value as { href?: unknown; protocol?: unknown; auth?: unknown; path?: unknown } | null;
  return Boolean(v?.href && v.protocol && v.auth === undefined && v.path === undefined);
}

/** file: URL (or URL string) to a path, with Node's POSIX errors. */
export function fileURLToPath(path: string | URL): string {
  let url: URL;
  if (typeof path === 'string') url = new NodeURL(path);
  else if (!isURL(path)) {
    throw hideFrames(new ERR_INVALID_ARG_TYPE('path', ['string', 'URL'], path), fileURLToPath);
  } else url = path;

  if (url.protocol !== 'file:') {
    throw hideFrames(new ERR_INVALID_URL_SCHEME('file'), fileURLToPath);
  }
  if (process.platform === 'win32') return nodeFileURLToPath(url);

  if (url.hostname !== '') {
    throw hideFrames(new ERR_INVALID_FILE_URL_HOST(process.platform), fileURLToPath);
  }
  const pathname = url.pathname;
  for (let n = 0; n < pathname.length; n++) {
    if (pathname[n] === '%') {
      const third = (pathname.codePointAt(n + 2) ?? 0) | 0x20;
      if (pathname[n + 1] === '2' && third === 102) {
        const detail = 'must not include encoded / characters';
        throw hideFrames(
          fileUrlPathErrorHasInput
            ? new ERR_INVALID_FILE_URL_PATH(detail, url)
            : new ERR_INVALID_FILE_URL_PATH(detail),
          fileURLToPath,
        );
      }
    }
  }
  return decodeURIComponent(pathname);
}

/** A URL object becomes a path; anything else is returned unchanged. */
export function toPathIfFileURL<T>(fileURLOrPath: T | URL): T | string {
  if (!isURL(fileURLOrPath)) return fileURLOrPath as T;
  return fileURLToPath(fileURLOrPath);
}

/**
 * string or Uint8Array without NUL bytes (ERR_INVALID_ARG_TYPE /
 * ERR_INVALID_ARG_VALUE otherwise); URLs must have been converted already.
 */
export function validatePath(path: unknown, propName = 'path'): asserts path is string | Uint8Array {
  const isString = typeof path === 'string';
  const isBytes = utilTypes.isUint8Array(path);
  if (!isString && !isBytes) {
    throw hideFrames(
      new ERR_INVALID_ARG_TYPE(propName, ['string', 'Buffer', 'URL'], path),
      validatePath,
    );
  }
  if (
    (isString && (path as string).includes('\u0000')) ||
    (isBytes && (path as Uint8Array).includes(0))
  ) {
    throw hideFrames(
      new ERR_INVALID_ARG_VALUE(
        propName,
        path,
        'must be a string, Uint8Array, or URL without null bytes',
      ),
      validatePath,
    );
  }
}

/**
 * Node's getValidatedPath (used by fork() for `modulePath` and by spawn() for
 * `options.cwd`): accepts a string, a Buffer/Uint8Array or a file: URL and
 * returns a string.  Node itself hands a Buffer back unchanged and lets the
 * native spawn code turn it into a string; we decode it as UTF-8 right away.
 */
export function getValidatedPath(fileURLOrPath: unknown, propName = 'path'): string {
  try {
    const path = toPathIfFileURL(fileURLOrPath);
    validatePath(path, propName);
    if (typeof path === 'string') return path;
    return Buffer.from(path.buffer, path.byteOffset, path.byteLength).toString('utf8');
  } catch (err) {
    throw hideFrames(err as Error, getValidatedPath);
  }
}

