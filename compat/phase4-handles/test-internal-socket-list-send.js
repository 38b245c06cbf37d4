// node: test/parallel/test-internal-socket-list-send.js — the sending side of the socket list, seen through the server: getConnections()/close() ask the child (key on the wire, reply, child not connected, child gone before the reply, listeners cleaned up); Node's test drives internal/socket_list with a mock child, which no public API reaches
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

const kClosedBeforeReply = {
  code: 'ERR_CHILD_CLOSED_BEFORE_REPLY',
  name: 'Error',
  message: 'Child closed before reply received',
};

if (process.argv[2] === 'child') {
  const mode = process.argv[3];
  let held = null;
  // Registered before any socket arrives, so it runs before the socket list's own listener.
  process.on('internalMessage', (message) => {
    if (typeof message.cmd !== 'string' || !message.cmd.startsWith('NODE_SOCKET_')) return;
    if (mode === 'vanish' && message.cmd === 'NODE_SOCKET_GET_COUNT') {
      // Gone between the request and the reply: the socket list must not answer.
      process.disconnect();
      return;
    }
    process.send({ saw: message });
    if (message.cmd === 'NODE_SOCKET_NOTIFY_CLOSE') held.destroy();
  });
  process.on('message', (message, socket) => {
    if (message === 'socket') {
      held = socket;
      held.resume(); // so that the client's end closes it
      process.send('holding');
    } else if (message === 'disconnect') {
      // Keep the socket (and so the process) while no longer connected.
      process.disconnect();
    }
  });
} else {
  // Listener counts on the ChildProcess must be back where they were after each request.
  function listeners(child) {
    return [child.listenerCount('internalMessage'), child.listenerCount('disconnect')];
  }

  // A server whose one accepted socket went to a fresh child in `mode`.
  function setup(mode, callback) {
    const child = fork(__filename, ['child', mode]);
    const server = net.createServer(common.mustCall((socket) => child.send('socket', socket)));
    server.listen(0, '127.0.0.1', common.mustCall(() => {
      const client = net.connect(server.address().port, '127.0.0.1');
      client.on('error', () => {});
      child.once('message', common.mustCall((message) => {
        assert.strictEqual(message, 'holding');
        callback(child, server, client);
      }));
    }));
  }

  // The child answers: the count is the child's, the request names the server's key, and
  // close() waits for NODE_SOCKET_ALL_CLOSED.
  function replies(next) {
    setup('reply', (child, server, client) => {
      // Node's key: address type, host and port as listen() was asked for (0 here).
      const key = '4:127.0.0.1:0';
      const before = listeners(child);
      const seen = [];
      child.on('message', (message) => seen.push(message));
      server.getConnections(common.mustSucceed((count) => {
        assert.strictEqual(count, 1);
        assert.deepStrictEqual(listeners(child), before);
        // The child saw our request (its report left before the reply).
        assert.deepStrictEqual(seen, [{ saw: { cmd: 'NODE_SOCKET_GET_COUNT', key } }]);
        server.close(common.mustSucceed(() => {
          // The child was asked, and destroyed its socket, before 'close'.
          assert.deepStrictEqual(seen[1], { saw: { cmd: 'NODE_SOCKET_NOTIFY_CLOSE', key } });
          assert.deepStrictEqual(listeners(child), before);
          child.on('exit', common.mustCall(() => next()));
          child.kill();
        }));
      }));
      client.on('close', common.mustCall());
    });
  }

  // The child disconnected before the request: the callback gets the error at once, and
  // close() does not wait for that child either.
  function notConnected(next) {
    setup('disconnected', (child, server, client) => {
      child.send('disconnect');
      child.on('disconnect', common.mustCall(() => {
        const before = listeners(child);
        server.getConnections(common.mustCall((err, count) => {
          common.matchError(err, kClosedBeforeReply);
          assert.strictEqual(count, undefined);
          assert.deepStrictEqual(listeners(child), before);
          // (Closed before the child exits: Node's server never answers once it has no
          // child left to ask.)
          server.close(common.mustSucceed(() => {
            // The child holds the socket alone; ending our client lets it finish.
            client.destroy();
          }));
        }));
      }));
      child.on('exit', common.mustCall((code, signal) => {
        assert.strictEqual(code, 0);
        assert.strictEqual(signal, null);
        next();
      }));
    });
  }

  // The child disconnects after getting the request and before answering.
  function vanishes(next) {
    setup('vanish', (child, server, client) => {
      const before = listeners(child);
      server.getConnections(common.mustCall((err) => {
        common.matchError(err, kClosedBeforeReply);
        assert.deepStrictEqual(listeners(child), before);
        server.close(common.mustSucceed(() => client.destroy()));
      }));
      child.on('exit', common.mustCall((code, signal) => {
        assert.strictEqual(code, 0);
        assert.strictEqual(signal, null);
        next();
      }));
    });
  }

  replies(() => notConnected(() => vanishes(common.mustCall())));
  // A lost reply would leave everything waiting: fail instead of hanging.
  setTimeout(() => assert.fail('gave up waiting'), 20000).unref();
}
