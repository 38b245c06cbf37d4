// node: test/parallel/test-child-process-fork-abort-signal.js — fork({ signal }): aborting kills the child with killSignal and emits an AbortError; an abort after exit does nothing
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const script = common.fixtures.path('stay-alive.js');

// Expects: one AbortError carrying the signal's reason, then exit (and close) by `killSignal`.
function expectAborted(child, controller, killSignal) {
  const events = [];
  child.on('error', common.mustCall((err) => {
    events.push('error');
    common.matchError(err, {
      name: 'AbortError',
      code: 'ABORT_ERR',
      message: 'The operation was aborted',
    });
    assert.strictEqual(err.cause, controller.signal.reason);
  }));
  child.on('exit', common.mustCall((code, signal) => {
    events.push('exit');
    assert.strictEqual(code, null);
    assert.strictEqual(signal, killSignal);
    assert.strictEqual(child.killed, true);
    assert.strictEqual(child.signalCode, killSignal);
  }));
  child.on('close', common.mustCall((code, signal) => {
    // The kill happens first, the error is reported right after it, exit comes later.
    assert.deepStrictEqual(events, ['error', 'exit']);
    assert.strictEqual(code, null);
    assert.strictEqual(signal, killSignal);
    assert.strictEqual(child.connected, false);
  }));
}

{
  // Aborted once the child is running.
  const controller = new AbortController();
  const child = fork(script, { signal: controller.signal });
  expectAborted(child, controller, 'SIGTERM');
  process.nextTick(() => controller.abort());
}

{
  // Already aborted when fork() is called: the child is started, then killed.
  const controller = new AbortController();
  controller.abort();
  const child = fork(script, { signal: controller.signal });
  assert.ok(Number.isInteger(child.pid));
  expectAborted(child, controller, 'SIGTERM');
}

{
  // A killSignal of one's own, and a reason of one's own.
  const controller = new AbortController();
  const reason = new Error('stop it');
  controller.abort(reason);
  const child = fork(script, { signal: controller.signal, killSignal: 'SIGKILL' });
  expectAborted(child, controller, 'SIGKILL');
}

{
  // Aborting after the child has exited is a no-op: no error, nothing killed again.
  const controller = new AbortController();
  const child = fork(script, { signal: controller.signal });
  child.on('error', common.mustNotCall());
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(signal, 'SIGINT');
    controller.abort();
  }));
  setTimeout(() => child.kill('SIGINT'), 1);
}
