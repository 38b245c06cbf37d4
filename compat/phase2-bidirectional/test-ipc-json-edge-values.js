// ours: edge values (falsy values, -0, NaN, holes, dropped keys, toJSON, long keys, __proto__) arrive with exactly JSON's semantics, both ways
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const longKey = 'k'.repeat(200000);
const manyKeys = {};
for (let i = 0; i < 10000; i++) manyKeys[`key${i}`] = i;
let deepArray = 'bottom';
let deepObject = 'bottom';
for (let i = 0; i < 200; i++) {
  deepArray = [deepArray];
  deepObject = { d: deepObject };
}

// [what, value sent, value that must arrive]. Written out rather than computed with
// JSON.parse(JSON.stringify()) so each line states the rule it checks.
const cases = [
  ['empty string', '', ''],
  ['zero', 0, 0],
  ['negative zero becomes 0', -0, 0],
  ['false', false, false],
  ['true', true, true],
  ['null', null, null],
  ['NaN becomes null', NaN, null],
  ['Infinity becomes null', Infinity, null],
  ['-Infinity becomes null', -Infinity, null],
  ['largest double', Number.MAX_VALUE, Number.MAX_VALUE],
  ['smallest denormal', 5e-324, 5e-324],
  ['unsafe integer keeps its double', 2 ** 53 + 2, 2 ** 53 + 2],
  ['fraction', -0.1, -0.1],
  ['whitespace and newlines', ' \t\r\n\n', ' \t\r\n\n'],
  ['control chars', '\u0000\u0001\u001f', '\u0000\u0001\u001f'],
  ['line/paragraph separators', '\u2028\u2029', '\u2028\u2029'],
  ['lone surrogate', '\ud800x\udfff', '\ud800x\udfff'],
  ['a string that looks internal', 'NODE_HANDLE', 'NODE_HANDLE'],
  ['empty array', [], []],
  ['empty object', {}, {}],
  ['nested empties', [[], {}, [{}], { a: [] }], [[], {}, [{}], { a: [] }]],
  ['mixed nesting', { a: [1, { b: [null, false, ''] }], c: { d: { e: 0 } } },
    { a: [1, { b: [null, false, ''] }], c: { d: { e: 0 } } }],
  ['200-deep array', deepArray, deepArray],
  ['200-deep object', deepObject, deepObject],
  ['holes and unsendables in arrays become null', [1, , undefined, () => {}, Symbol('s')],
    [1, null, null, null, null]],
  ['undefined, functions and symbol keys are dropped from objects',
    { u: undefined, f() {}, [Symbol('k')]: 1, kept: 'yes' }, { kept: 'yes' }],
  ['integer-like keys come first, others keep their order', { b: 1, a: 2, 10: 'x', 2: 'y' },
    { 2: 'y', 10: 'x', b: 1, a: 2 }],
  ['Date uses toJSON', new Date(Date.UTC(2000, 0, 1)), '2000-01-01T00:00:00.000Z'],
  ['custom toJSON', { toJSON: () => ({ replaced: true }) }, { replaced: true }],
  ['boxed primitives unwrap', [new String('s'), new Number(3), new Boolean(false)], ['s', 3, false]],
  ['Buffer uses its toJSON', Buffer.from([1, 2, 255]), { type: 'Buffer', data: [1, 2, 255] }],
  ['typed array becomes an index-keyed object', new Uint8Array([7, 8]), { 0: 7, 1: 8 }],
  ['Map and Set lose their contents', [new Map([[1, 2]]), new Set([1])], [{}, {}]],
  ['Error keeps only own enumerable props', Object.assign(new Error('gone'), { code: 'E_X' }),
    { code: 'E_X' }],
  ['__proto__ as an own key', JSON.parse('{"__proto__":{"polluted":true}}'),
    JSON.parse('{"__proto__":{"polluted":true}}')],
  ['200 000-char key', { [longKey]: longKey }, { [longKey]: longKey }],
  ['10 000 keys', manyKeys, manyKeys],
];

function check(message, i) {
  const [what, , want] = cases[i];
  assert.deepStrictEqual(message, want, `case ${i} (${what})`);
  // deepStrictEqual ignores key order and prototypes; JSON keeps the one and never
  // produces anything but plain objects and arrays.
  if (message !== null && typeof message === 'object') {
    assert.deepStrictEqual(Object.keys(message), Object.keys(want), `${what}: key order`);
    assert.strictEqual(Object.getPrototypeOf(message),
                       Array.isArray(message) ? Array.prototype : Object.prototype, what);
  }
  assert.strictEqual(Object.prototype.polluted, undefined, 'Object.prototype was polluted');
}

if (process.argv[2] === 'child') {
  let next = 0;
  // Check what the parent sent, then send the original value of that case back, so the
  // child -> parent direction applies the JSON rules on its own too.
  process.on('message', common.mustCall((message) => {
    check(message, next);
    process.send(cases[next++][1]);
  }, cases.length));
} else {
  const child = fork(__filename, ['child']);
  for (const [, value] of cases) child.send(value);

  let next = 0;
  child.on('message', common.mustCall((message) => {
    check(message, next++);
    if (next === cases.length) child.disconnect();
  }, cases.length));

  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
