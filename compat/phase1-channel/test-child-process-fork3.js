// node: test/parallel/test-child-process-fork3.js — forking an empty module does not hang
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const child = fork(common.fixtures.path('empty.js'));

child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));

// A hang is the failure this case exists for: report it here (and clean up) rather than
// waiting for the runner's timeout. The timer is unref'd so it never keeps us alive itself.
setTimeout(() => {
  console.error('still running 10 s after forking an empty module');
  child.kill('SIGKILL');
  process.exit(1);
}, 10000).unref();
