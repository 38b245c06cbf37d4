// node: test/parallel/test-cluster-shared-handle-bind-error.js — SCHED_NONE: a worker listening on a port the primary already holds gets EADDRINUSE
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const net = require('net');

if (cluster.isPrimary) {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const taken = net.createServer(common.mustNotCall());
  taken.listen(0, common.mustCall(() => {
    const worker = cluster.fork({ TAKEN_PORT: taken.address().port });
    worker.on('exit', common.mustCall((code) => {
      assert.strictEqual(code, 0);
      taken.close();
    }));
  }));
} else {
  const server = net.createServer(common.mustNotCall());
  server.listen(Number(process.env.TAKEN_PORT), common.mustNotCall());
  server.on('error', common.mustCall((err) => {
    assert.strictEqual(err.code, 'EADDRINUSE');
    process.disconnect();
  }));
}
