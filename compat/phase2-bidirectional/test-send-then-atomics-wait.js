// ours: a message sent just before the sender blocks (Atomics.wait) reaches the parent while the sender is still blocked
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.send('blocking');
  // Block the thread for 30 s. The parent kills us as soon as it hears 'blocking'; were the
  // message held back until the block ends, we would exit 0 instead.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000);
  process.exit(0);
} else {
  const child = fork(__filename, ['child']);
  child.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'blocking');
    child.kill('SIGKILL');
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, null, 'the message only arrived after the block ended');
    assert.strictEqual(signal, 'SIGKILL');
  }));
}
