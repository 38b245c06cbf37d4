// node: test/parallel/test-child-process-send-keep-open.js — a socket sent with { keepOpen: true } stays usable in the sender
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.on('message', common.mustCall((message, socket) => {
    assert.strictEqual(message, 'socket');
    socket.write('child', common.mustSucceed(() => process.send('child wrote')));
  }));
} else {
  const child = fork(__filename, ['child']);
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));

  let received = '';
  const server = net.createServer(common.mustCall((socket) => {
    child.send('socket', socket, { keepOpen: true }, common.mustSucceed());
    child.on('message', common.mustCall((message) => {
      assert.strictEqual(message, 'child wrote');
      // Still ours after the child acknowledged it: write, then end the connection.
      assert.strictEqual(socket.destroyed, false);
      socket.end('parent', common.mustCall(() => {
        server.close();
        child.disconnect();
      }));
    }));
  }));

  server.listen(0, '127.0.0.1', common.mustCall(() => {
    const client = net.connect(server.address().port, '127.0.0.1');
    client.setEncoding('utf8');
    client.on('data', (chunk) => { received += chunk; });
    client.on('end', common.mustCall(() => assert.strictEqual(received, 'childparent')));
  }));
}
