// node: test/parallel/test-child-process-disconnect.js — parent disconnect(): connected flags turn false, 'disconnect' fires asynchronously on both sides, a second disconnect() throws ERR_IPC_DISCONNECTED
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  // The channel's end calls process.disconnect() on our side too. A listener added right
  // after that call must still see the event: it may not have been emitted synchronously.
  const originalDisconnect = process.disconnect;
  process.disconnect = function(...args) {
    const result = originalDisconnect.apply(this, args);
    process.once('disconnect', common.mustCall(function disconnectEmittedLater() {}));
    return result;
  };

  // A side channel the parent can still read after IPC is gone.
  const server = net.createServer(common.mustCall((socket) => {
    socket.resume();
    process.on('disconnect', common.mustCall(() => {
      assert.strictEqual(process.channel, null);
      socket.end(`connected=${process.connected}`);
    }));
    socket.on('end', common.mustCall(() => server.close()));
    socket.write('ready;');
  }));
  server.listen(0, '127.0.0.1', common.mustCall(() => {
    process.send({ port: server.address().port });
  }));
} else {
  const child = fork(__filename, ['child']);
  let disconnectReturned = false;

  child.on('disconnect', common.mustCall(() => {
    assert.strictEqual(disconnectReturned, true, "'disconnect' was emitted synchronously");
    assert.strictEqual(child.connected, false);
    assert.strictEqual(child.channel, null);
  }));

  child.on('message', common.mustCall(({ port }) => {
    let received = '';
    const socket = net.connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    socket.on('data', (data) => {
      received += data;
      if (received !== 'ready;') return;
      child.disconnect();
      disconnectReturned = true;
      assert.strictEqual(child.connected, false);
      // Without an 'error' listener the second call's error is thrown.
      assert.throws(() => child.disconnect(), common.errorMatcher({
        name: 'Error',
        code: 'ERR_IPC_DISCONNECTED',
        message: 'IPC channel is already disconnected',
      }));
    });
    socket.on('end', common.mustCall(() => {
      assert.strictEqual(received, 'ready;connected=false');
    }));
  }));

  // The child ends on its own once the channel and its server are closed: no signal.
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
