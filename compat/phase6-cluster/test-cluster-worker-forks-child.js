// ours: a cluster worker forks a child of its own; the child talks to the worker, which reports to the primary, and everything exits
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const { fork } = require('child_process');

if (process.argv[2] === 'grandchild') {
  process.on('message', (message) => {
    process.send({ echo: message, hasCluster: 'NODE_UNIQUE_ID' in process.env });
    process.disconnect();
  });
} else if (cluster.isWorker) {
  const child = fork(__filename, ['grandchild']);
  child.send({ from: cluster.worker.id });
  child.on('message', common.mustCall((message) => process.send({ child: message })));
  child.on('exit', common.mustCall((code) => {
    assert.strictEqual(code, 0);
    cluster.worker.disconnect();
  }));
} else {
  const worker = cluster.fork();
  worker.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, { child: { echo: { from: 1 }, hasCluster: false } });
  }));
  worker.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
}
