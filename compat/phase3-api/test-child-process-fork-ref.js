// node: test/parallel/test-child-process-fork-ref.js — a child with a 'disconnect' listener stays up until the parent disconnects, then runs the listener and exits
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.send('first');
  // Sent later, so the parent's disconnect cannot come before it; the timer alone would
  // not keep us alive past it: the 'disconnect' listener has to.
  setTimeout(() => process.send('second'), 200);
  process.on('disconnect', () => {
    process.stdout.write('disconnected');
  });
} else {
  const child = fork(__filename, ['child'], { silent: true });
  const messages = [];
  let stdout = '';
  let exited = false;
  let stdoutEnded = false;

  function check() {
    if (!exited || !stdoutEnded) return;
    assert.deepStrictEqual(messages, ['first', 'second']);
    assert.strictEqual(stdout, 'disconnected');
  }

  child.on('message', common.mustCall((message) => {
    messages.push(message);
    if (message === 'second') child.disconnect();
  }, 2));

  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stdout.on('end', common.mustCall(() => {
    stdoutEnded = true;
    check();
  }));

  child.once('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
    exited = true;
    check();
  }));
}
