// node: test/parallel/test-child-process-fork-timeout-kill-signal.js — fork({ timeout }) kills with killSignal (SIGTERM by default); a bad timeout throws ERR_OUT_OF_RANGE; the abort listener is removed at exit
'use strict';
const common = require('../common');
const assert = require('assert');
const { getEventListeners } = require('events');
const { fork } = require('child_process');

const script = common.fixtures.path('stay-alive.js');

{
  // Default kill signal.
  const started = Date.now();
  const child = fork(script, { timeout: 5 });
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, null);
    assert.strictEqual(signal, 'SIGTERM');
    assert.strictEqual(child.killed, true);
    assert.ok(Date.now() - started >= 4, 'killed before the timeout was up');
  }));
  // A timeout is not an error.
  child.on('error', common.mustNotCall());
}

{
  // The given kill signal.
  const child = fork(script, { timeout: 5, killSignal: 'SIGKILL' });
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, null);
    assert.strictEqual(signal, 'SIGKILL');
  }));
  child.on('error', common.mustNotCall());
}

{
  // Only an unsigned integer is a timeout.
  for (const [timeout, shown] of [['badValue', "'badValue'"], [{}, '{}'], [-1, '-1'], [1.5, '1.5']]) {
    assert.throws(() => fork(script, { timeout }), common.errorMatcher({
      name: 'RangeError',
      code: 'ERR_OUT_OF_RANGE',
      message: `The value of "timeout" is out of range. It must be an unsigned integer. Received ${shown}`,
    }));
  }
}

{
  // The abort listener is registered for the child's lifetime only. Any EventTarget with
  // an `aborted` property is accepted as the signal.
  const signal = new EventTarget();
  signal.aborted = false;
  const child = fork(script, { timeout: 6, signal });
  assert.strictEqual(getEventListeners(signal, 'abort').length, 1);
  child.on('exit', common.mustCall((code, killSignal) => {
    assert.strictEqual(killSignal, 'SIGTERM');
    assert.strictEqual(getEventListeners(signal, 'abort').length, 0);
  }));
}
