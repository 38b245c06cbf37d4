// node: test/parallel/test-child-process-fork-closed-channel-segfault.js — the child exits while sockets still wait in the parent's handle queue; no crash, channel null on 'close' (child_process instead of cluster)
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

// What a send racing the child's exit may legitimately report.
const kRaceCodes = ['ERR_IPC_CHANNEL_CLOSED', 'EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'EMFILE'];

if (process.argv[2] === 'child') {
  // Leave at once on the first socket: the parent still has more queued for us.
  process.on('message', () => process.exit(1));
  process.send('online');
} else {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    setTimeout(() => socket.destroy(), 100);
  });

  server.listen(0, '127.0.0.1', common.mustCall(() => {
    const child = fork(__filename, ['child']);
    child.on('error', (err) => {
      if (!kRaceCodes.includes(err.code)) throw err;
    });

    // A client socket (not one of a server's) goes to the child with the message.
    function sendSocket(callback) {
      const socket = net.connect(server.address().port, '127.0.0.1', () => {
        child.send({}, socket, callback);
      });
      socket.on('error', (err) => {
        if (!kRaceCodes.includes(err.code)) throw err;
      });
    }

    child.once('message', common.mustCall((message) => {
      assert.strictEqual(message, 'online');
      sendSocket(common.mustSucceed(() => {
        // The second one waits for the first one's ACK, then races the child's exit.
        sendSocket((err) => {
          if (err && !kRaceCodes.includes(err.code)) throw err;
        });
      }));
    }));

    child.on('exit', common.mustCall((code, signal) => {
      assert.strictEqual(code, 1);
      assert.strictEqual(signal, null);
    }));
    child.once('close', common.mustCall(() => {
      // Reading the channel after it closed must be safe, and it is gone.
      assert.strictEqual(child.channel, null);
      assert.strictEqual(child.connected, false);
      server.close();
    }));
  }));
}
