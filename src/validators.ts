/**
 * Argument validators that behave like Node's internal ones (lib/internal/
 * validators.js, the checks in lib/child_process.js, getValidatedPath from
 * lib/internal/fs/utils.js, fileURLToPath from lib/internal/url.js) and throw
 * the same errors with the same messages, in the same order, as the running
 * Node line (the differences between lines are in ./node-line).
 *
 * Every thrown error has its stack start at the caller of the validator, as
 * Node's hideStackFrames() arranges for its own validators.
 */

import { types as utilTypes } from 'util';
import { URL as NodeURL, fileURLToPath as nodeFileURLToPath } from 'url';

import {
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_INVALID_FILE_URL_HOST,
  ERR_INVALID_FILE_URL_PATH,
  ERR_INVALID_URL_SCHEME,
  hideFrames,
} from './errors';
import { arrayMinLengthSaysAtLeast, fileUrlPathErrorHasInput } from './node-line';

// ---------------------------------------------------------------------------
// Generic validators
// ---------------------------------------------------------------------------

// Node 20 passes these as bit flags; we accept both the flags and an object.
export const kValidateObjectNone = 0;
export const kValidateObjectAllowNullable = 1 << 0;
export const kValidateObjectAllowArray = 1 << 1;
export const kValidateObjectAllowFunction = 1 << 2;

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

