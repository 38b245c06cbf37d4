// node: test/sequential/test-child-process-pass-fd.js — 80 children each send the parent a connected socket, which the parent reads to the end (forked 10 at a time)
// timeout: 120
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

const kChildren = 80;
const kAtOnce = 10;

if (process.argv[2] === 'child') {
  // The channel (a 'message' listener) is what keeps this child alive: the server and
  // the client are unref'd, so an orphaned child would exit at once.
  let client = null;
  let ready = 0;
  // Send once both ends exist: our accepted side and the connected client.
  const bothEnds = () => { if (++ready === 2) process.send('handle', client); };
  process.on('message', common.mustCall((message) => assert.strictEqual(message, 'got')));
  const server = net.createServer((accepted) => {
    // Answer on our side of the connection once the parent holds the other side.
    process.once('message', () => accepted.end('hello'));
    bothEnds();
  }).unref();
  server.listen(0, '127.0.0.1', () => {
    client = net.connect(server.address().port, '127.0.0.1', bothEnds).unref();
  });
} else {
  let started = 0;
  let finished = 0;
  function startOne() {
    const index = started++;
    const child = fork(__filename, ['child']);
    child.once('message', common.mustCall((message, socket) => {
      assert.strictEqual(message, 'handle');
      assert.ok(socket instanceof net.Socket);
      child.send('got');
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => { data += chunk; });
      socket.on('end', common.mustCall(() => {
        assert.strictEqual(data, 'hello', `child ${index}`);
        child.kill();
      }));
    }));
    child.on('exit', common.mustCall((code, signal) => {
      assert.strictEqual(signal, 'SIGTERM', `child ${index}: ${code} ${signal}`);
      finished++;
      if (started < kChildren) startOne();
    }));
  }
  for (let i = 0; i < kAtOnce; i++) startOne();
  process.on('exit', () => assert.strictEqual(finished, kChildren));
}
