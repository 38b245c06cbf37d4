// node: test/sequential/test-cluster-send-handle-large-payload.js — a socket travels with an 800 KB message, there and back (child_process.fork instead of cluster)
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

const payload = 'a'.repeat(800004);

if (process.argv[2] === 'child') {
  process.on('message', common.mustCall((message, socket) => {
    assert.strictEqual(message.payload, payload);
    assert.ok(socket instanceof net.Socket);
    // Send both back at once, then let the channel go so the child can end.
    process.send({ payload }, socket);
    process.channel.unref();
  }));
} else {
  const server = net.createServer(common.mustCall((accepted) => accepted.unref()));
  const child = fork(__filename, ['child']);
  child.on('message', common.mustCall((message, socket) => {
    assert.strictEqual(message.payload, payload);
    assert.ok(socket instanceof net.Socket);
    server.close();
    socket.destroy();
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
  server.listen(0, '127.0.0.1', common.mustCall(() => {
    const socket = new net.Socket();
    socket.connect(server.address().port, '127.0.0.1', common.mustCall(() => {
      child.send({ payload }, socket);
    }));
  }));
}
