// node: test/parallel/test-child-process-send-returns-boolean.js — the first send() returns true and its callback gets no error even when the child is SIGKILLed right after
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

// A child that stays alive without listening for messages.
const child = fork(common.fixtures.path('stay-alive.js'));
const returned = child.send({ h: 'w' }, common.mustCall((error) => {
  // The message was in the kernel before the kill: its write succeeded.
  assert.strictEqual(error, null);
}));
assert.strictEqual(returned, true);
child.kill('SIGKILL');
child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(signal, 'SIGKILL');
}));
