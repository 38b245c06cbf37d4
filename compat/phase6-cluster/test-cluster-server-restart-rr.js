// node: test/parallel/test-cluster-server-restart-rr.js — round-robin: a worker closes its shared server and listens again; both workers end cleanly
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const net = require('net');

cluster.schedulingPolicy = cluster.SCHED_RR;

if (cluster.isPrimary) {
  const first = cluster.fork();
  first.on('listening', common.mustCall(() => {
    const second = cluster.fork();
    second.on('exit', common.mustCall((code, signal) => {
      assert.strictEqual(code, 0);
      assert.strictEqual(signal, null);
      first.disconnect();
    }));
  }));
  first.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
} else {
  const server = net.createServer();
  server.listen(0, common.mustCall(() => {
    if (cluster.worker.id !== 2) return;
    server.close(common.mustCall(() => {
      server.listen(0, common.mustCall(() => server.close(() => process.disconnect())));
    }));
  }));
}
