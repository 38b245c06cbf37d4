// node: test/parallel/test-cli-eval.js — (the fork('-e', …) part) fork('-e', [script]) runs the script as the child, which has a working channel: ping → pong, then it disconnects and exits 0
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const script = `
  process.on('message', (message) => {
    if (message === 'ping') process.send('pong');
    if (message === 'exit') process.disconnect();
  });
`;
const child = fork('-e', [script]);
assert.deepStrictEqual(child.spawnargs.slice(-2), ['-e', script]);

const received = [];
child.on('message', common.mustCall((message) => {
  received.push(message);
  if (message === 'pong') child.send('exit');
}));
child.on('disconnect', common.mustCall());
child.on('exit', common.mustCall((code, signal) => {
  assert.deepStrictEqual(received, ['pong']);
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));
child.send('ping');
