// node: test/parallel/test-net-server-connections-child-null.js — once a server's socket went to a child, the server's count comes from the child (Node 20 has no server.connections; getConnections() shows it)
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.on('message', (message, socket) => {
    if (message === 'end it') {
      held.on('close', () => process.send('closed'));
      return held.end('goodbye');
    }
    assert.deepStrictEqual(message, { what: 'socket' });
    held = socket;
    process.send('holding');
  });
  let held = null;
  process.send('hello');
} else {
  const child = fork(__filename, ['child']);
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(signal, 'SIGTERM');
  }));

  child.once('message', common.mustCall((message) => {
    assert.strictEqual(message, 'hello');
    const server = net.createServer();
    server.getConnections(common.mustSucceed((count) => assert.strictEqual(count, 0)));
    server.on('connection', common.mustCall((socket) => {
      child.send({ what: 'socket' }, socket);
    }));
    server.on('close', common.mustCall(() => child.kill()));

    child.once('message', common.mustCall((message) => {
      assert.strictEqual(message, 'holding');
      // Not ours any more, but the child's: counted there.
      server.getConnections(common.mustSucceed((count) => {
        assert.strictEqual(count, 1);
        child.send('end it');
      }));
      child.once('message', common.mustCall((message) => {
        // The child's copy is closed: nobody holds a connection of this server now.
        assert.strictEqual(message, 'closed');
        server.getConnections(common.mustSucceed((count) => {
          assert.strictEqual(count, 0);
          server.close();
        }));
      }));
    }));

    server.listen(0, '127.0.0.1', common.mustCall(() => {
      const client = net.connect(server.address().port, '127.0.0.1');
      let received = '';
      client.setEncoding('utf8');
      client.on('data', (chunk) => { received += chunk; });
      client.on('close', common.mustCall(() => assert.strictEqual(received, 'goodbye')));
    }));
  }));
}
