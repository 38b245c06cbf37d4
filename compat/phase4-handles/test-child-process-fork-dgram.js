// node: test/parallel/test-child-process-fork-dgram.js — a bound dgram.Socket sent to the child: datagrams reach both processes
'use strict';
const common = require('../common');
const assert = require('assert');
const dgram = require('dgram');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.once('message', common.mustCall((message, socket) => {
    assert.strictEqual(message, 'socket');
    assert.ok(socket instanceof dgram.Socket);
    assert.strictEqual(socket.type, 'udp4');
    socket.once('message', common.mustCall((data) => {
      assert.strictEqual(data.toString(), 'datagram');
      process.send('child got one');
      socket.close();
    }));
    process.send({ port: socket.address().port });
  }));
} else {
  const shared = dgram.createSocket('udp4');
  const client = dgram.createSocket('udp4');
  const child = fork(__filename, ['child']);
  let parentGotOne = false;
  let childGotOne = false;
  let timer = null;

  shared.once('message', common.mustCall((data) => {
    assert.strictEqual(data.toString(), 'datagram');
    parentGotOne = true;
    shared.close();
  }));

  child.on('message', common.mustCall((message) => {
    if (message === 'child got one') {
      childGotOne = true;
      return;
    }
    // The child is bound to our very port: it holds our socket.
    assert.deepStrictEqual(message, { port: shared.address().port });
    // Whichever process reads first gets a datagram; keep sending until both got one.
    const payload = Buffer.from('datagram');
    const port = message.port; // ours is closed once it got a datagram
    timer = setInterval(() => {
      if (parentGotOne && childGotOne) {
        clearInterval(timer);
        client.close();
        return;
      }
      client.send(payload, port, '127.0.0.1', common.mustSucceed(() => {}, 1));
    }, 2);
  }, 2));

  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));

  shared.bind(0, '127.0.0.1', common.mustCall(() => child.send('socket', shared)));

  // Give up instead of hanging if a side never receives anything.
  setTimeout(() => {
    clearInterval(timer);
    client.close();
    child.kill();
    assert.fail(`no datagram in ${parentGotOne ? 'the child' : 'the parent'}`);
  }, 20000).unref();

  process.on('exit', () => {
    assert.ok(parentGotOne, 'the parent received a datagram');
    assert.ok(childGotOne, 'the child received a datagram');
  });
}
