// node: test/parallel/test-child-process-fork-timeout-kill-signal.js — fork({ timeout }) kills with killSignal (SIGTERM by default); a bad timeout throws (ERR_OUT_OF_RANGE, on Node 26 also ERR_INVALID_ARG_TYPE); the abort listener is removed at exit
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
  // Only an unsigned integer is a timeout. Node 20-24 reject anything else with one
  // ERR_OUT_OF_RANGE; Node 26 checks it as a generic integer >= 0: a wrong type is
  // ERR_INVALID_ARG_TYPE, a wrong number ERR_OUT_OF_RANGE with the generic range text.
  const range = (shown) => ({
    name: 'RangeError',
    code: 'ERR_OUT_OF_RANGE',
    message: `The value of "timeout" is out of range. It must be an unsigned integer. Received ${shown}`,
  });
  const expected = Number.parseInt(process.versions.node, 10) >= 26 ? [
    ['badValue', { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
                   message: 'The "timeout" argument must be of type number. Received type string (\'badValue\')' }],
    [{}, { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
           message: 'The "timeout" argument must be of type number. Received an instance of Object' }],
    [-1, { name: 'RangeError', code: 'ERR_OUT_OF_RANGE',
           message: 'The value of "timeout" is out of range. It must be >= 0 && <= 9007199254740991. Received -1' }],
    [1.5, { name: 'RangeError', code: 'ERR_OUT_OF_RANGE',
            message: 'The value of "timeout" is out of range. It must be an integer. Received 1.5' }],
  ] : [
    ['badValue', range("'badValue'")], [{}, range('{}')], [-1, range('-1')], [1.5, range('1.5')],
  ];
  for (const [timeout, error] of expected) {
    assert.throws(() => fork(script, { timeout }), common.errorMatcher(error));
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
