// node: test/parallel/test-cluster-worker-isdead.js — isDead() false in a live worker and in the primary until 'exit', true after
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  assert.strictEqual(worker.isDead(), false);
  worker.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'dead: false');
    assert.strictEqual(worker.isDead(), false);
  }));
  worker.on('exit', common.mustCall(() => assert.strictEqual(worker.isDead(), true)));
} else {
  process.send(`dead: ${cluster.worker.isDead()}`, common.mustSucceed(() => process.exit(0)));
}
