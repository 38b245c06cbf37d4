// node: test/parallel/test-cluster-worker-disconnect.js — worker.disconnect() from the primary: 'disconnect' inside the worker, exitedAfterDisconnect true, state disconnected
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const http = require('http');

if (cluster.isWorker) {
  http.createServer(common.mustNotCall()).listen(0, '127.0.0.1');
  // Exiting with a code of our own proves the worker saw its 'disconnect'.
  cluster.worker.on('disconnect', common.mustCall(() => process.exit(42)));
} else {
  const worker = cluster.fork();
  worker.once('listening', common.mustCall(() => assert.strictEqual(worker.disconnect(), worker)));
  cluster.once('disconnect', common.mustCall());
  cluster.once('exit', common.mustCall());
  worker.once('disconnect', common.mustCall(() => {
    assert.strictEqual(worker.exitedAfterDisconnect, true);
    assert.strictEqual(worker.state, 'disconnected');
  }));
  worker.once('exit', common.mustCall((code) => {
    assert.strictEqual(code, 42);
    assert.strictEqual(worker.isDead(), true);
  }));
}
