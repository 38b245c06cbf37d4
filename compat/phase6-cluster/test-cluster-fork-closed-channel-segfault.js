// node: test/parallel/test-child-process-fork-closed-channel-segfault.js — sockets sent to a cluster worker that exits on the first message: no crash, channel null on 'close'
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const net = require('net');

if (cluster.isWorker) {
  process.on('message', () => process.exit(1));
} else {
  const accepted = [];
  const server = net.createServer((socket) => accepted.push(socket.on('error', () => {})));
  // What a peer that went away may cause; anything else is a failure.
  const expected = (err) => {
    if (!['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ERR_IPC_CHANNEL_CLOSED'].includes(err.code)) throw err;
  };
  server.listen(0, common.mustCall(() => {
    const worker = cluster.fork();
    worker.on('error', expected);
    const sendOne = (callback) => {
      const socket = net.connect(server.address().port, () => worker.send({}, socket, callback));
      socket.on('error', expected);
    };
    worker.process.once('close', common.mustCall(() => {
      assert.strictEqual(worker.process.channel, null);
      for (const socket of accepted) socket.destroy();
      server.close();
    }));
    worker.on('online', common.mustCall(() => {
      sendOne(common.mustSucceed(() => sendOne((err) => err && expected(err))));
    }));
  }));
}
