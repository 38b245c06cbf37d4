// node: test/parallel/test-child-process-fork-getconnections.js — 12 sockets handed to a child: server.getConnections() counts the ones the child still holds
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

const kCount = 12;

if (process.argv[2] === 'child') {
  const sockets = [];
  process.on('message', common.mustCall((message, socket) => {
    if (message.cmd === 'take') {
      assert.ok(socket instanceof net.Socket);
      sockets.push(socket);
    } else if (message.cmd === 'close') {
      assert.strictEqual(socket, undefined);
      const target = sockets[message.id];
      const report = () => process.send({ id: message.id, status: 'closed' });
      // The peer may already have gone; report either way.
      if (target.destroyed) report();
      else {
        target.once('close', report);
        target.destroy();
      }
    }
  }, kCount * 2));
} else {
  const child = fork(__filename, ['child']);
  let killedOnPurpose = false;
  child.on('exit', common.mustCall((code, signal) => {
    assert.ok(killedOnPurpose, `child died early: code ${code}, signal ${signal}`);
  }));

  const server = net.createServer();
  let accepted = 0;
  server.on('connection', common.mustCall((socket) => {
    child.send({ cmd: 'take' }, socket);
    if (++accepted === kCount) closeOne(0);
  }, kCount));

  // Each time the child closes one, the count seen from here drops by one.
  function closeOne(i) {
    if (i === kCount) {
      killedOnPurpose = true;
      server.close();
      child.kill();
      return;
    }
    child.once('message', common.mustCall((message) => {
      assert.deepStrictEqual(message, { id: i, status: 'closed' });
      server.getConnections(common.mustSucceed((count) => {
        assert.strictEqual(count, kCount - (i + 1));
        closeOne(i + 1);
      }));
    }));
    child.send({ cmd: 'close', id: i });
  }

  server.on('close', common.mustCall());
  const clientClosed = common.mustCall(kCount);
  server.listen(0, '127.0.0.1', common.mustCall(() => {
    for (let i = 0; i < kCount; i++) {
      const client = net.connect(server.address().port, '127.0.0.1');
      client.on('close', clientClosed);
    }
  }));
}
