// ours: 100 000 json messages each way, at the same time, all delivered exactly once and in order
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const N = 100000;

// Checks one numbered message; throwing ends the receiving process with an error.
function check(message, expected) {
  if (message === null || typeof message !== 'object' || message.seq !== expected) {
    assert.fail(`message #${expected} arrived as ${JSON.stringify(message)}`);
  }
}

if (process.argv[2] === 'child') {
  let next = 0;
  process.on('message', common.mustCall((message) => {
    check(message, next++);
    // Queued behind everything we sent, so the parent sees it last.
    if (next === N) process.send({ received: N });
  }, N));
  // Both directions are busy at once: we send while the parent is still sending.
  for (let i = 0; i < N; i++) process.send({ seq: i });
  // Lost messages would leave both sides waiting: give up and let the counts report it.
  setTimeout(() => process.disconnect(), 30000).unref();
} else {
  const child = fork(__filename, ['child']);
  for (let i = 0; i < N; i++) child.send({ seq: i });

  let next = 0;
  child.on('message', common.mustCall((message) => {
    if (next < N) {
      check(message, next++);
      return;
    }
    assert.deepStrictEqual(message, { received: N });
    child.disconnect();
  }, N + 1));

  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(next, N);
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
