/**
 * The messages of the Node-compatible errors in errors.ts: the wording of ERR_INVALID_ARG_TYPE's
 * "Received ..." and of the other codes' templates, as the running Node line words them (see
 * ./node-line). The wording is a fact taken over from Node.js (lib/internal/errors.js); the
 * implementation is our own.
 */

import { inspect } from 'util';
import { receivedInstanceNeedsNonEmptyName } from './node-line';

/** A broken promise of our own code (never the caller's fault): ERR_INTERNAL_ASSERTION. */
export function internalAssert(condition: unknown, message: string): asserts condition {
  if (!condition) {
    const err = new Error(`deka-ipc internal assertion failed: ${message}`);
    (err as Error & { code?: string }).code = 'ERR_INTERNAL_ASSERTION';
    throw err;
  }
}

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

export function invalidArgTypeMessage(
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

export function invalidArgValueMessage(name: string, value: unknown, reason = 'is invalid'): string {
  let inspected = inspect(value);
  if (inspected.length > 128) inspected = `${inspected.slice(0, 128)}...`;
  const kind = name.includes('.') ? 'property' : 'argument';
  return `The ${kind} '${name}' ${reason}. Received ${inspected}`;
}

export function missingArgsMessage(...args: Array<string | readonly string[]>): string {
  internalAssert(args.length > 0, 'At least one arg needs to be specified');
  const wrap = (a: string): string => `"${a}"`;
  const names = args.map((a) => (Array.isArray(a) ? a.map(wrap).join(' or ') : wrap(a as string)));
  const len = args.length;
  return `The ${formatList(names)} argument${len > 1 ? 's' : ''} must be specified`;
}

export function invalidUrlSchemeMessage(expected: string | readonly string[]): string {
  const list: readonly string[] = typeof expected === 'string' ? [expected] : expected;
  internalAssert(list.length <= 2, 'at most two schemes');
  const res =
    list.length === 2 ? `one of scheme ${list[0]} or ${list[1]}` : `of scheme ${list[0]}`;
  return `The URL must be ${res}`;
}
