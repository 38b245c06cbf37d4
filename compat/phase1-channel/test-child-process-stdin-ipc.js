// node: test/parallel/test-child-process-stdin-ipc.js — IPC on fd 0: touching process.stdin in the child does not break it
'use strict';
const common = require('../common');
const assert = require('assert');
const { spawn } = require('child_process');

if (process.argv[2] === 'child') {
  // fd 0 is the IPC channel here. Merely creating process.stdin must not crash, hang or
  // steal the channel; it is left paused, so messages still go to 'message'.
  assert.strictEqual(typeof process.stdin, 'object');
  process.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'ping');
    process.send('pong');
  }));
  process.send('hello from fd 0');
} else {
  const child = spawn(process.execPath, [__filename, 'child'], {
    stdio: ['ipc', 'inherit', 'inherit'],
  });
  // The IPC slot has no stream of its own.
  assert.strictEqual(child.stdin, null);
  assert.strictEqual(child.connected, true);

  const received = [];
  child.on('message', common.mustCall((message) => {
    received.push(message);
    if (message === 'hello from fd 0') child.send('ping');
    else child.disconnect();
  }, 2));

  child.on('exit', common.mustCall((code, signal) => {
    assert.deepStrictEqual(received, ['hello from fd 0', 'pong']);
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
