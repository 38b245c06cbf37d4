// node: test/parallel/test-child-process-fork-net-server.js — a listening net.Server shared with the child: both accept, both close
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

const kClients = 4;

if (process.argv[2] === 'child') {
  let shared;
  process.on('message', function onServer(message, server) {
    if (message.what !== 'server') return;
    process.removeListener('message', onServer);
    assert.ok(server instanceof net.Server);
    assert.strictEqual(server.listening, true);
    shared = server;
    server.on('connection', (socket) => {
      process.send({ what: 'connection' });
      socket.destroy();
    });
    process.send({ what: 'listening', port: server.address().port });
  });
  process.on('message', function onClose(message) {
    if (message.what !== 'close') return;
    process.removeListener('message', onClose);
    shared.on('close', () => process.send({ what: 'closed' }));
    shared.close();
  });
  process.send({ what: 'ready' });
} else {
  const child = fork(__filename, ['child']);
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));

  const server = net.createServer();
  const onChildClosed = common.mustCall();
  let accepted = 0; // by either process
  let clientsClosed = 0;
  function maybeDone() {
    if (accepted !== kClients || clientsClosed !== kClients) return;
    server.on('close', common.mustCall(() => child.send({ what: 'close' })));
    server.close();
  }
  server.on('connection', (socket) => {
    socket.destroy();
    accepted++;
    maybeDone();
  });

  child.on('message', common.mustCallAtLeast((message) => {
    switch (message.what) {
      case 'ready':
        server.listen(0, '127.0.0.1', common.mustCall(() => {
          child.send({ what: 'server' }, server);
        }));
        break;
      case 'listening':
        // The child listens on the very same port: it got our socket, not a new one.
        assert.strictEqual(message.port, server.address().port);
        for (let i = 0; i < kClients; i++) {
          const client = net.connect(server.address().port, '127.0.0.1');
          client.on('error', () => {}); // a reset from destroy() is fine
          client.on('close', () => {
            clientsClosed++;
            maybeDone();
          });
        }
        break;
      case 'connection':
        accepted++;
        maybeDone();
        break;
      case 'closed':
        assert.strictEqual(accepted, kClients);
        onChildClosed();
        break;
      default:
        assert.fail(`unexpected message ${JSON.stringify(message)}`);
    }
  }, 3)); // ready, listening, closed, and one 'connection' per socket the child accepted
}
