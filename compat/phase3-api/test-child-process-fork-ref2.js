// node: test/parallel/test-child-process-fork-ref2.js — a 'message' listener added after process.disconnect() does not keep the child alive
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const LISTENER_DELAY_MS = 400;

if (process.argv[2] === 'child') {
  process.disconnect();
  setTimeout(() => {
    // The channel is gone: this listener must neither fire nor hold the loop open.
    process.on('message', common.mustNotCall());
  }, LISTENER_DELAY_MS);
} else {
  const child = fork(__filename, ['child']);
  const started = Date.now();

  // A child kept alive by the late listener would never exit: give up and make it fail.
  const giveUp = setTimeout(() => {
    child.kill('SIGKILL');
  }, 5000);

  child.on('disconnect', common.mustCall(() => {
    assert.strictEqual(child.connected, false);
  }));

  child.once('exit', common.mustCall((code, signal) => {
    clearTimeout(giveUp);
    assert.strictEqual(signal, null, 'the child had to be killed: the late listener kept it alive');
    assert.strictEqual(code, 0);
    // It ran its timer before leaving.
    assert.ok(Date.now() - started >= LISTENER_DELAY_MS,
              `child exited after ${Date.now() - started} ms, before its timer`);
  }));
}
