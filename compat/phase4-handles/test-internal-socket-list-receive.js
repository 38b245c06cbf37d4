// node: test/parallel/test-internal-socket-list-receive.js — the receiving side of the socket list, driven over the wire: the child counts the server's sockets it got, answers NODE_SOCKET_GET_COUNT, and answers NODE_SOCKET_NOTIFY_CLOSE with NODE_SOCKET_ALL_CLOSED once they are all closed (Node's test drives internal/socket_list with a mock child)
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { once } = require('events');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  const sockets = [];
  process.on('message', (message, socket) => {
    if (message === 'socket') {
      sockets.push(socket);
      process.send(`holding ${sockets.length}`);
    } else if (typeof message === 'object' && message.destroy !== undefined) {
      const socket = sockets[message.destroy];
      socket.once('close', () => process.send(`destroyed ${message.destroy}`));
      socket.destroy();
    }
  });
} else {
  const child = fork(__filename, ['child']);
  child.on('exit', common.mustCall((code, signal) => assert.strictEqual(signal, 'SIGTERM')));

  // What the child says on the socket-list protocol, in order.
  const replies = [];
  let wake = null;
  child.on('internalMessage', (message) => {
    if (!String(message.cmd).startsWith('NODE_SOCKET_')) return;
    replies.push(message);
    if (wake) wake();
  });
  async function nextReply() {
    while (replies.length === 0) await new Promise((resolve) => { wake = resolve; });
    return replies.shift();
  }
  async function nextMessage() {
    const [message] = await once(child, 'message');
    return message;
  }

  const server = net.createServer((socket) => child.send('socket', socket));
  const clients = [];

  (async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const key = '4:127.0.0.1:0'; // Node's key for this server (address type, host, port asked for)
    for (let i = 1; i <= 2; i++) {
      const client = net.connect(server.address().port, '127.0.0.1');
      client.resume();
      clients.push(client);
      assert.strictEqual(await nextMessage(), `holding ${i}`);
    }

    // A count for our key; nothing at all for a key the child does not know.
    child.send({ cmd: 'NODE_SOCKET_GET_COUNT', key: 'no such key' });
    child.send({ cmd: 'NODE_SOCKET_GET_COUNT', key });
    assert.deepStrictEqual(await nextReply(), { cmd: 'NODE_SOCKET_COUNT', key, count: 2 });

    // Asked to report when all are closed: only after the last one.
    child.send({ cmd: 'NODE_SOCKET_NOTIFY_CLOSE', key });
    child.send({ destroy: 0 });
    assert.strictEqual(await nextMessage(), 'destroyed 0');
    assert.deepStrictEqual(replies, []);
    child.send({ cmd: 'NODE_SOCKET_GET_COUNT', key });
    assert.deepStrictEqual(await nextReply(), { cmd: 'NODE_SOCKET_COUNT', key, count: 1 });
    child.send({ destroy: 1 });
    assert.strictEqual(await nextMessage(), 'destroyed 1');
    assert.deepStrictEqual(await nextReply(), { cmd: 'NODE_SOCKET_ALL_CLOSED', key });

    // Already empty: the answer comes at once, and the count is 0.
    child.send({ cmd: 'NODE_SOCKET_NOTIFY_CLOSE', key });
    assert.deepStrictEqual(await nextReply(), { cmd: 'NODE_SOCKET_ALL_CLOSED', key });
    child.send({ cmd: 'NODE_SOCKET_GET_COUNT', key });
    assert.deepStrictEqual(await nextReply(), { cmd: 'NODE_SOCKET_COUNT', key, count: 0 });

    // The server's own close() goes through the same exchange.
    server.close();
    await once(server, 'close');
    assert.deepStrictEqual(await nextReply(), { cmd: 'NODE_SOCKET_ALL_CLOSED', key });
    assert.deepStrictEqual(replies, []);
    child.kill();
  })().then(common.mustCall(), (err) => {
    child.kill();
    throw err;
  });

  setTimeout(() => {
    child.kill();
    assert.fail(`gave up waiting; replies so far: ${JSON.stringify(replies)}`);
  }, 20000).unref();
}
