// node: test/parallel/test-cluster-send-handle-twice.js — a worker sends the same accepted socket to the primary twice; the worker still exits 0
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const net = require('net');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
} else {
  const server = net.createServer(common.mustCall((socket) => {
    process.send('send-handle-1', socket);
    process.send('send-handle-2', socket);
  }));
  server.listen(0, common.mustCall(() => {
    const client = net.connect({ host: '127.0.0.1', port: server.address().port });
    client.on('connect', () => client.end());
    client.on('close', common.mustCall(() => cluster.worker.disconnect()));
  }));
}
