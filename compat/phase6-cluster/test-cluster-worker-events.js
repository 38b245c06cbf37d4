// node: test/parallel/test-cluster-worker-events.js — a message reaches both process and cluster.worker 'message'; process 'error' is re-emitted on cluster.worker
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');

const kExitCode = 3;

if (cluster.isPrimary) {
  const worker = cluster.fork();
  assert.strictEqual(worker.send({ hello: 'worker' }), true);
  worker.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, kExitCode);
    assert.strictEqual(signal, null);
  }));
} else {
  const got = [];
  const both = () => {
    if (got.length < 2) return;
    assert.deepStrictEqual(got[0], { hello: 'worker' });
    assert.deepStrictEqual(got[1], got[0]);
    cluster.worker.once('error', common.mustCall((err) => {
      assert.strictEqual(err, 'boom');
      process.exit(kExitCode);
    }));
    process.emit('error', 'boom');
  };
  process.once('message', common.mustCall((m) => { got.push(m); both(); }));
  cluster.worker.once('message', common.mustCall((m) => { got.push(m); both(); }));
}
