// node: test/parallel/test-cluster-net-listen.js — a worker listening on port 0 gets a real port, and connections to it are served by the worker
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const net = require('net');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('listening', common.mustCall((address) => {
    assert.ok(address.port > 0);
    net.connect(address.port).setEncoding('utf8').on('data', common.mustCall((text) => {
      assert.strictEqual(text, `served by ${worker.process.pid}`);
      worker.disconnect();
    }));
  }));
  worker.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
} else {
  net.createServer((socket) => socket.end(`served by ${process.pid}`)).listen(0);
}
