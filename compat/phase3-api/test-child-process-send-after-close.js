// node: test/parallel/test-child-process-send-after-close.js — send() after the channel closed returns false and reports ERR_IPC_CHANNEL_CLOSED, via 'error' or via the callback
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const closedError = {
  name: 'Error',
  code: 'ERR_IPC_CHANNEL_CLOSED',
  message: 'Channel closed',
};

// The child has nothing to do: it exits and its end of the channel goes away.
const child = fork(common.fixtures.path('empty.js'));

child.on('close', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
  assert.strictEqual(child.connected, false);

  const order = [];

  // Without a callback the failure is an 'error' event on the child...
  child.on('error', common.mustCall((err) => {
    common.matchError(err, closedError);
    order.push('error');
  }));
  assert.strictEqual(child.send('ping'), false);

  // ...with one, the callback gets it and 'error' stays quiet.
  assert.strictEqual(child.send('pong', common.mustCall((err) => {
    common.matchError(err, closedError);
    order.push('callback');
  })), false);

  // Neither is reported synchronously, from inside send().
  assert.deepStrictEqual(order, []);
  setImmediate(common.mustCall(() => {
    assert.deepStrictEqual(order, ['error', 'callback']);
  }));
}));
