// node: test/parallel/test-cluster-advanced-serialization.js — settings.serialization = 'advanced': a cyclic object and a Map go to the worker and back
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');

if (cluster.isPrimary) {
  cluster.settings.serialization = 'advanced';
  const worker = cluster.fork();
  const cyclic = { map: new Map([[1, 'one']]), big: 2n ** 70n };
  cyclic.self = cyclic;
  worker.on('online', common.mustCall(() => worker.send(cyclic)));
  worker.on('message', common.mustCall((echo) => {
    assert.deepStrictEqual(echo, cyclic);
    assert.strictEqual(echo.self, echo);
    worker.kill();
  }));
  worker.on('exit', common.mustCall());
} else {
  process.on('message', (message) => process.send(message));
}
