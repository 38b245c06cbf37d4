// ours: multi-byte UTF-8 (2-, 3-, 4-byte chars, surrogate pairs, combining marks, ZWJ emoji) survives being split across reads, both ways
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

// One unit mixes every UTF-8 sequence length; the ASCII prefix below shifts where each
// chunk boundary falls, so some of them land in the middle of a multi-byte character.
const UNIT = [
  'a', 'é', 'ж', '中', '日本語', 'e\u0301', 'n\u0303\u0323', '😀', '👩‍👩‍👧',
  '\u0915\u094d\u0937', '한', '\u1100\u1161\u11a8', '𝄞', '\u{10FFFD}', '\u2028', '"\\\n',
].join('');
const BODY = UNIT.repeat(8000); // ~450 KB of UTF-8 per message, several reads each
const PREFIXES = ['', 'x', 'xy', 'xyz'];

function expected(i) {
  const text = PREFIXES[i] + BODY;
  // Multi-byte text as an object key, too, not only as a value.
  return { i, text, [UNIT.repeat(3 + i)]: ['🙂', '中文', i] };
}

function check(message, i) {
  // assert.deepStrictEqual would print 450 KB on failure; compare pieces first.
  const want = expected(i);
  assert.strictEqual(message.i, i);
  assert.strictEqual(message.text.length, want.text.length, `message ${i}: length differs`);
  assert.ok(message.text === want.text, `message ${i}: text differs`);
  assert.deepStrictEqual(Object.keys(message), Object.keys(want));
  assert.deepStrictEqual(message[Object.keys(want)[2]], want[Object.keys(want)[2]]);
}

assert.ok(Buffer.byteLength(BODY) > 4 * 65536, 'each message must need several reads');

if (process.argv[2] === 'child') {
  let next = 0;
  // Verify what the parent sent, then send our own copy back.
  process.on('message', common.mustCall((message) => {
    check(message, next);
    process.send(expected(next++));
  }, PREFIXES.length));
} else {
  const child = fork(__filename, ['child']);
  PREFIXES.forEach((_, i) => child.send(expected(i)));

  let next = 0;
  child.on('message', common.mustCall((message) => {
    check(message, next++);
    if (next === PREFIXES.length) child.disconnect();
  }, PREFIXES.length));

  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
