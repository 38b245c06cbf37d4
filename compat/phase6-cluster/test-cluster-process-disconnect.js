// node: test/parallel/test-cluster-process-disconnect.js — a worker that calls process.disconnect() while listening exits 0
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const net = require('net');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('disconnect', common.mustCall());
  worker.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
} else {
  net.createServer().listen(0, common.mustCall(() => process.disconnect()));
}
