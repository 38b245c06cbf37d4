// node: test/parallel/test-cluster-net-send.js — a child sends a connected client socket to its parent, which reads what the peer writes on it
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');
const net = require('net');

if (process.argv[2] !== 'child') {
  const child = fork(__filename, ['child']);
  child.once('message', common.mustCall((message, socket) => {
    assert.strictEqual(message, 'handle');
    assert.ok(socket instanceof net.Socket);
    socket.setEncoding('utf8');
    socket.on('data', common.mustCall((text) => assert.strictEqual(text, 'hello')));
    socket.on('end', common.mustCall(() => child.kill()));
    child.send('got it');
  }));
  child.on('exit', common.mustCall());
} else {
  let client;
  let ready = 0;
  const bothReady = () => {
    if (++ready === 2) process.send('handle', client);
  };
  const server = net.createServer(common.mustCall((connection) => {
    process.once('message', common.mustCall((message) => {
      assert.strictEqual(message, 'got it');
      connection.end('hello');
    }));
    bothReady();
  }));
  server.listen(0, () => {
    client = net.connect(server.address().port, '127.0.0.1', bothReady);
  });
  process.on('disconnect', () => server.close());
}
