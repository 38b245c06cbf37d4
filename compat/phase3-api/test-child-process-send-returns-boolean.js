// node: test/parallel/test-child-process-send-returns-boolean.js — send() returns true for a write the channel took, and false for messages queued behind a handle awaiting its ACK
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork, spawn } = require('child_process');

const empty = common.fixtures.path('empty.js');

// A plain message on a fresh channel: nothing is queued, so send() says keep going.
const forked = fork(empty);
assert.strictEqual(forked.send({ hello: 'world' }), true);
forked.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));

// The same over spawn() with an 'ipc' slot. Once a handle is on its way, everything
// after it waits for the receiver's ACK: the first message to enter that queue still
// reports true, the ones behind it report false.
const spawned = spawn(process.execPath, [empty], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
const server = net.createServer(common.mustNotCall('no connection is made'));

spawned.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
  server.close();
}));

server.listen(0, '127.0.0.1', common.mustCall(() => {
  const results = [
    spawned.send('one', server),
    spawned.send('two', server),
    spawned.send('three'),
    spawned.send('four'),
  ];
  assert.deepStrictEqual(results, [true, true, false, false]);
}));
