// node: test/parallel/test-cluster-worker-init.js — a message sent on 'online' reaches the worker's cluster.worker; worker.disconnect() returns the worker
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('online', common.mustCall(() => worker.send('first words')));
  worker.on('message', common.mustCall((reply) => {
    assert.strictEqual(reply, 'heard: first words');
    assert.strictEqual(worker.disconnect(), worker);
  }));
  worker.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
    assert.strictEqual(worker.exitedAfterDisconnect, true);
  }));
} else {
  cluster.worker.on('message', common.mustCall((message) => process.send(`heard: ${message}`)));
}
