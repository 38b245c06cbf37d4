// node: test/parallel/test-cluster-worker-destroy.js — destroy() in a worker, after its own disconnect or at once: both workers disconnect and exit
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');

if (cluster.isPrimary) {
  for (let i = 0; i < 2; i++) {
    const worker = cluster.fork();
    worker.on('disconnect', common.mustCall());
    worker.on('exit', common.mustCall());
  }
} else if (cluster.worker.id === 1) {
  cluster.worker.process.on('disconnect', common.mustCall(() => cluster.worker.destroy()));
  assert.strictEqual(cluster.worker.disconnect(), cluster.worker);
} else {
  cluster.worker.destroy();
}
