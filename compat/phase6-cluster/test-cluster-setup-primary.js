// node: test/parallel/test-cluster-setup-primary.js — setupPrimary({ args, silent }): 'setup' with the settings, every worker gets the arguments
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');

if (cluster.isWorker) {
  process.send({ arg: process.argv[2] });
} else {
  const workers = 2;
  cluster.once('setup', common.mustCall((settings) => {
    assert.deepStrictEqual(settings, cluster.settings);
    assert.deepStrictEqual(settings.args, ['an argument']);
    assert.strictEqual(settings.silent, true);
    assert.strictEqual(settings.exec, process.argv[1]);
  }));
  cluster.setupPrimary({ args: ['an argument'], silent: true });
  cluster.on('online', common.mustCall((worker) => {
    // silent workers' output is piped to the primary
    assert.ok(worker.process.stdout);
    worker.once('message', common.mustCall((message) => {
      assert.strictEqual(message.arg, 'an argument');
      worker.kill();
    }));
  }, workers));
  cluster.on('exit', common.mustCall(() => {}, workers));
  for (let i = 0; i < workers; i++) cluster.fork();
}
