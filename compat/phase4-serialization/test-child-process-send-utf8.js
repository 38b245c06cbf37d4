// node: test/parallel/test-child-process-send-utf8.js — ~800 KB of two-byte UTF-8 characters in one json message arrives intact, child to parent and parent to child
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

// 99 999 × 'ßßßß': 399 996 characters, 799 992 bytes of UTF-8, so reads cut it mid-character.
const expected = new Array(1e5).join('ßßßß');

function check(actual) {
  assert.strictEqual(typeof actual, 'string');
  assert.strictEqual(actual.length, expected.length);
  // Not assert.strictEqual(actual, expected): a mismatch would print 800 KB twice.
  assert.ok(actual === expected, 'the string arrived unaltered');
}

if (process.argv[2] === 'child') {
  process.send(expected);
  process.on('message', common.mustCall((message) => {
    check(message);
    process.send('verified');
  }));
  setTimeout(() => process.disconnect(), 10000).unref();
} else {
  const child = fork(__filename, ['child']);
  const received = [];
  child.on('message', common.mustCall((message) => {
    received.push(message);
    if (received.length === 1) {
      check(message);
      child.send(expected);
    } else {
      assert.strictEqual(message, 'verified');
      child.disconnect();
    }
  }, 2));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
