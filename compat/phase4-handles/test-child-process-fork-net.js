// node: test/parallel/test-child-process-fork-net.js — 12 sockets spread over 3 children; server.close() waits until every child closed its sockets ('close' message, or 'disconnect')
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

const kCount = 12;

if (process.argv[2] === 'child') {
  // Sockets told to 'write' stay open until the parent says 'close' or disconnects.
  const open = [];
  const endAll = () => { for (const socket of open.splice(0)) socket.end('end'); };
  process.on('message', (message, socket) => {
    if (message === 'close') return endAll();
    assert.ok(socket instanceof net.Socket, `a socket with ${message}`);
    socket.resume();
    socket[message](message); // 'end' ends at once, 'write' writes and stays open
    if (message === 'write') open.push(socket);
  });
  process.on('disconnect', common.mustCall(endAll));
} else {
  const children = [1, 2, 3].map((id) => fork(__filename, ['child', String(id)]));
  children.forEach((child, i) => {
    child.on('exit', common.mustCall((code, signal) => {
      // The disconnected third child may finish on its own before the kill reaches it.
      const clean = i === 2 && code === 0 && signal === null;
      assert.ok(clean || signal === 'SIGTERM', `child ${i + 1} exit: ${code} ${signal}`);
    }));
  });

  const server = net.createServer();
  let accepted = 0;
  let closeEmitted = false;
  server.on('connection', common.mustCall((socket) => {
    // Child n gets an 'end' socket and a 'write' socket in turn.
    const turn = accepted++ % 6;
    children[turn >> 1].send(turn % 2 === 0 ? 'end' : 'write', socket);
    if (accepted === kCount) closeServer();
  }, kCount));

  server.on('close', common.mustCall(() => {
    closeEmitted = true;
    for (const child of children) child.kill();
  }));

  let clientsClosed = 0;
  server.listen(0, '127.0.0.1', common.mustCall(() => {
    for (let i = 0; i < kCount; i++) {
      const client = net.connect(server.address().port, '127.0.0.1');
      client.resume();
      client.on('error', () => {}); // a reset is fine; 'close' follows
      client.on('close', () => clientsClosed++);
    }
  }));

  function closeServer() {
    server.close();
    // Six sockets are still open in the children: no 'close' yet.
    setTimeout(common.mustCall(() => {
      assert.strictEqual(closeEmitted, false);
      children[0].send('close');
      children[1].send('close');
      children[2].disconnect();
    }), 200);
  }

  process.on('exit', () => {
    assert.strictEqual(accepted, kCount);
    assert.strictEqual(clientsClosed, kCount);
  });
}
