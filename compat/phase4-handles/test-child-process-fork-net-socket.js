// node: test/parallel/test-child-process-fork-net-socket.js — a socket accepted by the parent is answered by the child it was sent to
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.on('message', function onSocket(message, socket) {
    if (message.what !== 'socket') return;
    // One socket only: without a 'message' listener the child may exit once it is done.
    process.removeListener('message', onSocket);
    assert.ok(socket instanceof net.Socket);
    socket.end('echo');
  });
  process.send({ what: 'ready' });
} else {
  const child = fork(__filename, ['child']);
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));

  child.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, { what: 'ready' });

    const server = net.createServer(common.mustCall((socket) => {
      // The parent never writes: everything the client reads comes from the child.
      child.send({ what: 'socket' }, socket);
    }));
    server.on('close', common.mustCall());

    server.listen(0, '127.0.0.1', common.mustCall(() => {
      const client = net.connect(server.address().port, '127.0.0.1');
      let received = '';
      client.setEncoding('utf8');
      client.on('data', (chunk) => { received += chunk; });
      client.on('close', common.mustCall(() => {
        assert.strictEqual(received, 'echo');
        server.close();
      }));
    }));
  }));
}
