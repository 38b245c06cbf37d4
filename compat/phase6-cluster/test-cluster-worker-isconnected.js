// node: test/parallel/test-cluster-worker-isconnected.js — isConnected() true while the channel is up, false after disconnect, on both sides
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  assert.strictEqual(worker.isConnected(), true);
  worker.on('disconnect', common.mustCall(() => assert.strictEqual(worker.isConnected(), false)));
  worker.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'connected: true');
    assert.strictEqual(worker.isConnected(), true);
  }));
  worker.on('exit', common.mustCall());
} else {
  process.send(`connected: ${cluster.worker.isConnected()}`, common.mustSucceed(() => {
    cluster.worker.once('disconnect', common.mustCall(() => assert.strictEqual(cluster.worker.isConnected(), false)));
    cluster.worker.disconnect();
  }));
}
