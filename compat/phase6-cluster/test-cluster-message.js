// node: test/parallel/test-cluster-message.js — messages both ways: worker.send()/process.send(), 'message' on the worker and the cluster (worker, message, handle)
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const net = require('net');

if (cluster.isWorker) {
  const server = net.createServer(common.mustNotCall());
  cluster.worker.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, { cmd: 'ping' });
    process.send({ cmd: 'pong', listening: server.listening }, common.mustSucceed(() => {}));
  }));
  server.listen(0, () => process.send({ cmd: 'ready' }));
} else {
  const worker = cluster.fork();
  cluster.on('message', common.mustCall((w, message, handle) => {
    assert.strictEqual(w, worker);
    assert.strictEqual(handle, undefined);
  }, 2));
  worker.on('message', common.mustCall((message) => {
    if (message.cmd === 'ready') {
      worker.send({ cmd: 'ping' });
    } else {
      assert.deepStrictEqual(message, { cmd: 'pong', listening: true });
      worker.disconnect();
    }
  }, 2));
  worker.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
}
