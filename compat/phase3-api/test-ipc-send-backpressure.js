// ours: send() returns false while more than 128 KiB wait in the write queue (a 4 MiB message), and true again once its callback says the queue drained
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const BIG = 4 * 1024 * 1024;

if (process.argv[2] === 'child') {
  const lengths = [];
  process.on('message', common.mustCall((message) => {
    lengths.push(message.length);
    if (lengths.length === 3) {
      process.send(lengths);
      process.disconnect();
    }
  }, 3));
} else {
  const child = fork(__filename, ['child']);
  // A socket buffer holds far less than 4 MiB: most of it stays queued in this process,
  // so send() asks the caller to hold off...
  const big = child.send('b'.repeat(BIG), common.mustSucceed());
  assert.strictEqual(big, false);
  // ...and keeps asking while that backlog is there.
  const small = child.send('s', common.mustSucceed(() => {
    // Everything before it has been written: the queue is empty again.
    assert.strictEqual(child.send('after'), true);
  }));
  assert.strictEqual(small, false);

  child.on('message', common.mustCall((lengths) => {
    assert.deepStrictEqual(lengths, [BIG, 1, 5]);
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
