// node: test/parallel/test-cluster-worker-kill.js — a worker killed with SIGKILL: disconnect and exit on worker and cluster, exit signal SIGKILL, exitedAfterDisconnect false
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const http = require('http');

if (cluster.isWorker) {
  http.createServer(common.mustNotCall()).listen(0, '127.0.0.1');
} else {
  const worker = cluster.fork();
  worker.once('listening', common.mustCall(() => worker.process.kill('SIGKILL')));
  cluster.on('disconnect', common.mustCall());
  cluster.on('exit', common.mustCall((w, code, signal) => {
    assert.strictEqual(code, null);
    assert.strictEqual(signal, 'SIGKILL');
  }));
  worker.on('disconnect', common.mustCall(() => {
    assert.strictEqual(worker.exitedAfterDisconnect, false);
    assert.strictEqual(worker.state, 'disconnected');
  }));
  worker.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, null);
    assert.strictEqual(signal, 'SIGKILL');
    assert.strictEqual(worker.isDead(), true);
  }));
}
