// node: test/parallel/test-child-process-stdout-ipc.js — IPC on fd 1: the child's message reaches the parent
'use strict';
const common = require('../common');
const assert = require('assert');
const { spawn } = require('child_process');

if (process.argv[2] === 'child') {
  // fd 1 is the channel, so nothing may be printed to stdout in here.
  process.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'ack');
    process.send('bye');
  }));
  process.send('hahah');
} else {
  const child = spawn(process.execPath, [__filename, 'child'], {
    stdio: ['inherit', 'ipc', 'inherit'],
  });
  // The IPC slot has no stream of its own.
  assert.strictEqual(child.stdout, null);

  const received = [];
  child.on('message', common.mustCall((message) => {
    received.push(message);
    if (message === 'hahah') child.send('ack');
    else child.disconnect(); // the child listens until we let go of the channel
  }, 2));

  child.on('exit', common.mustCall((code, signal) => {
    assert.deepStrictEqual(received, ['hahah', 'bye']);
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
