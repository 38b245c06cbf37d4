// node: test/parallel/test-cluster-worker-exit.js — a worker that calls process.exit(42): disconnect and exit on worker and cluster, exitedAfterDisconnect false
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const http = require('http');

const kCode = 42;

if (cluster.isWorker) {
  http.createServer(common.mustNotCall()).listen(0, '127.0.0.1', common.mustCall(() => process.exit(kCode)));
} else {
  const worker = cluster.fork();
  cluster.on('disconnect', common.mustCall((w) => assert.strictEqual(w, worker)));
  cluster.on('exit', common.mustCall((w, code, signal) => {
    assert.strictEqual(w, worker);
    assert.strictEqual(code, kCode);
    assert.strictEqual(signal, null);
  }));
  worker.on('disconnect', common.mustCall(() => {
    assert.strictEqual(worker.exitedAfterDisconnect, false);
    assert.strictEqual(worker.state, 'disconnected');
  }));
  worker.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, kCode);
    assert.strictEqual(signal, null);
    assert.strictEqual(worker.process.exitCode, kCode);
    assert.strictEqual(worker.isDead(), true);
    assert.strictEqual(worker.isConnected(), false);
  }));
}
