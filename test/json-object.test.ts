// The json fast path for flat objects (src-native/json-object.cc) against JSON.stringify and
// JSON.parse themselves: over generated objects the native writer puts JSON.stringify's bytes
// on a real socketpair or leaves the value to JS having read nothing observable, and the
// native reader gives JSON.parse's value or leaves the line to it.
import t from 'tap';
import { binding } from '../src/native';

type Writer = { writeQuoted(value: unknown, fd?: number): number; close(): void; readStart(): void };

function pair() {
  const [a, b] = binding.socketPair();
  const chunks: Buffer[] = [];
  let onRead: (() => void) | null = null;
  const left = new binding.Channel(a, () => {}, () => {}) as unknown as Writer;
  const right = new binding.Channel(b, (chunk) => {
    if (chunk) chunks.push(Buffer.from(chunk));
    onRead?.();
  }, () => {});
  const received = () => Buffer.concat(chunks);
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      onRead = () => pred() && resolve();
      onRead();
    });
  return { left, right, received, until };
}

// A small deterministic generator (the same objects every run).
let seed = 23;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

const texts = [
  '', 'a', 'payload', 'x'.repeat(5000), 'quote "', 'back\\slash', 'tab\t', 'nl\n', 'ctl\u0001\u001f', 'del\u007f',
  'latin \u00e9\u00ff\u0080', 'euro \u20ac', 'emoji \u{1f600}', 'lone \ud800', 'lone \udfff end', '__proto__', 'toJSON',
  '0', '12', '1e3', '-1', 'constructor', 'caf\u00e9', ' space ', '\u2028', 'z'.repeat(70000),
];
const numbers = [0, -0, 1, -1, 42, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, -(2 ** 53) + 1, 1.5, -0.000001, 1e21, 1e-7,
  123456789012345, 1234567890123456, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity, 0.1 + 0.2];
const values: unknown[] = [...texts, ...numbers, true, false, null, undefined, Symbol('s')];

function generated(): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  const count = Math.floor(random() * 6);
  for (let i = 0; i < count; i++) obj[pick(texts.slice(0, 24))] = pick(values);
  return obj;
}

t.test('generated flat objects: JSON.stringify\'s bytes or nothing', async (t) => {
  const { left, right, received, until } = pair();
  right.readStart();
  let expected = '';
  let native = 0;
  const objects = Array.from({ length: 3000 }, generated);
  const odd: number[] = [];
  for (const obj of objects) {
    const answer = left.writeQuoted(obj);
    if (answer === 3) continue;
    if (![0, 1, 2].includes(answer)) odd.push(answer);
    native++;
    expected += JSON.stringify(obj) + '\n';
  }
  t.same(odd, [], 'written: 0, 1 or 2, as write()');
  t.ok(native > objects.length / 4, `${native} of ${objects.length} written natively`);
  await until(() => received().length >= Buffer.byteLength(expected));
  t.equal(received().toString(), expected);
  left.close();
  right.close();
});

t.test('objects the writer leaves to JSON.stringify, having called nothing', async (t) => {
  const { left, right } = pair();
  let calls = 0;
  const getter = Object.defineProperty({ a: 1 }, 'b', { get: () => ++calls, enumerable: true });
  const hiddenGetter = Object.defineProperty({ a: 1 }, 'b', { get: () => ++calls, enumerable: false });
  class Point { x = 1; }
  const cases: [string, unknown][] = [
    ['own toJSON', { a: 1, toJSON: () => ++calls }],
    ['an enumerable getter', getter],
    ['an array', ['a']],
    ['a nested object', { a: { b: 1 } }],
    ['a class instance', new Point()],
    ['a Date', new Date(0)],
    ['a boxed string', Object('s')],
    ['a Map', new Map()],
    ['a typed array', new Uint8Array(2)],
    ['a proxy', new Proxy({ a: 1 }, { get: () => ++calls })],
    ['a function value', { f() {} }],
    ['a BigInt value', { n: 1n }],
    ['an integer-like key', { 0: 'a' }],
    ['a key that needs escaping', { 'a"b': 1 }],
    ['a two-byte string', { a: '\u20ac' }],
    ['a lone surrogate', { a: '\ud800' }],
    ['a control character', { a: 'x\u0000' }],
  ];
  for (const [name, value] of cases) t.equal(left.writeQuoted(value), 3, name);
  t.equal(calls, 0, 'no getter, toJSON or trap was called');
  t.not(left.writeQuoted(hiddenGetter), 3, 'a non-enumerable getter is not read, as by JSON.stringify');
  t.equal(calls, 0);
  const proto = Object.prototype as { toJSON?: unknown };
  proto.toJSON = () => ++calls;
  try {
    t.equal(left.writeQuoted({ a: 1 }), 3, 'Object.prototype.toJSON');
  } finally {
    delete proto.toJSON;
  }
  t.equal(calls, 0);
  left.close();
  right.close();
});

t.test('what the writer takes, beyond the generator', async (t) => {
  const { left, right, received, until } = pair();
  right.readStart();
  const sym = Symbol('k');
  const hidden = Object.defineProperty({ shown: 1 }, 'hidden', { value: 2, enumerable: false });
  const bare = Object.assign(Object.create(null), { a: 'null prototype' });
  const proto = JSON.parse('{"__proto__": "own", "x": 1}');
  const cases = [{}, { [sym]: 1, a: 'symbol key' }, { s: sym }, hidden, bare, proto, { n: -0, m: NaN, i: -Infinity }, { u: undefined }];
  let expected = '';
  for (const value of cases) {
    t.not(left.writeQuoted(value), 3, JSON.stringify(value));
    expected += JSON.stringify(value) + '\n';
  }
  await until(() => received().length >= Buffer.byteLength(expected));
  t.equal(received().toString(), expected);
  left.close();
  right.close();
});

t.test('generated lines: JSON.parse\'s value or nothing', async (t) => {
  let native = 0;
  const lines = Array.from({ length: 3000 }, () => JSON.stringify(generated()));
  lines.push('{}', '{"a":-0}', '{"a":007}', '{"a":1.5}', '{"a":1e3}', '{"a": 1}', '{"a":1,}', '{"a":1}x', '{"a"}', '{"__proto__":1}',
    '{"a":1,"a":2}', '{"0":1,"b":2,"1":3}', '{"a":"\\u0041"}', '{"a":-}', '{"a":1234567890123456}', '{"a":tru}', '{"x":"\u00e9"}',
    '{"a":[1]}', '{"a":{}}', '{"a":null,"b":true,"c":false}');
  const wrong: string[] = [];
  for (const line of lines) {
    const buffer = Buffer.from('..' + line + '\n');
    const got = binding.parseQuoted(buffer, 2, buffer.length - 1) as unknown as Record<string, unknown> | undefined;
    if (got === undefined) continue;
    native++;
    const want = JSON.parse(line);
    const same = Object.getPrototypeOf(got) === Object.prototype &&
      JSON.stringify(Object.keys(got)) === JSON.stringify(Object.keys(want)) &&
      Object.keys(want).every((key) => Object.is(got[key], want[key]));
    if (!same) wrong.push(line.slice(0, 60));
  }
  t.same(wrong, [], 'every line parsed natively has JSON.parse\'s keys, order and values (-0 included)');
  t.ok(native > lines.length / 4, `${native} of ${lines.length} parsed natively`);
  const line = Buffer.from('{"__proto__":1}');
  const own = binding.parseQuoted(line, 0, line.length) as unknown as Record<string, unknown>;
  t.ok(Object.prototype.hasOwnProperty.call(own, '__proto__'), '__proto__ is an own property, as from JSON.parse');
  for (const bad of ['{"a":007}', '{"a": 1}', '{"a":1,}', '{"a":1}x', '{"a"}', '{"a":-}', '{"a":tru}']) {
    const b = Buffer.from(bad);
    t.equal(binding.parseQuoted(b, 0, b.length), undefined, `${bad} is left to JSON.parse`);
  }
});
