// node: test/parallel/test-child-process-ipc-next-tick.js — a throw in a 'message' handler does not drop the messages after it
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const COUNT = 10;
const values = Array.from({ length: COUNT }, (_, i) => i);

if (process.argv[2] === 'child') {
  const caught = [];
  // Each message is emitted on its own tick, so a handler that throws only loses its own
  // turn; the error surfaces here and the remaining messages keep coming.
  process.on('uncaughtException', common.mustCall((err) => {
    caught.push(err);
    if (caught.length === COUNT) {
      assert.deepStrictEqual(caught, values);
      process.disconnect();
    }
  }, COUNT));
  process.on('message', (message) => {
    throw message;
  });
  process.send('ready');
  // If messages were lost we would wait forever; give up instead, so the missing
  // uncaughtException calls are reported and the child exits non-zero.
  setTimeout(() => process.disconnect(), 5000).unref();
} else {
  const child = fork(__filename, ['child']);
  child.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'ready');
    // All sent back to back, so they are likely to arrive in a single read.
    for (const value of values) child.send(value);
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
