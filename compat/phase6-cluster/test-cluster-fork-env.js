// node: test/parallel/test-cluster-fork-env.js — cluster.fork(env) adds to the worker's environment; NODE_UNIQUE_ID is gone by the time user code runs
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');

if (cluster.isWorker) {
  process.send({
    prop: process.env.cluster_test_prop,
    overwrite: process.env.cluster_test_overwrite,
    uniqueId: 'NODE_UNIQUE_ID' in process.env,
    workerId: cluster.worker.id,
  });
} else {
  process.env.cluster_test_overwrite = 'old';
  const worker = cluster.fork({ cluster_test_prop: 'custom', cluster_test_overwrite: 'new' });
  worker.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, { prop: 'custom', overwrite: 'new', uniqueId: false, workerId: worker.id });
    worker.kill();
  }));
  worker.on('exit', common.mustCall());
}
