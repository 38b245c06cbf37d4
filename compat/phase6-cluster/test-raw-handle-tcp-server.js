// ours: a raw TCP wrap (server._handle, 'net.Native') sent either way is a wrap the receiver listens on with server.listen(handle)
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');
const net = require('net');

// Listen, hand the listening socket over as a bare wrap, and stop listening here once it left.
function handOver(target, message) {
  const server = net.createServer(common.mustNotCall());
  server.listen(0, '127.0.0.1', common.mustCall(() => {
    const port = server.address().port;
    target.send({ ...message, port }, server._handle, common.mustSucceed(() => server.close()));
  }));
}

// Whoever receives the wrap serves on it, on the sender's port.
function serveOn(handle, port, report) {
  assert.strictEqual(handle.constructor.name, 'TCP');
  assert.ok(!(handle instanceof net.Socket));
  const server = net.createServer((socket) => {
    socket.end(`served by ${process.pid}`);
    server.close();
  });
  server.listen(handle, common.mustCall(() => {
    assert.strictEqual(server.address().port, port);
    report();
  }));
}

function expectServedBy(port, pid, done) {
  net.connect(port, '127.0.0.1').setEncoding('utf8').on('data', common.mustCall((text) => {
    assert.strictEqual(text, `served by ${pid}`);
    done();
  }));
}

if (process.argv[2] === 'child') {
  handOver(process, { from: 'child' }); // child → parent
  process.on('message', common.mustCall((message, handle) => {
    if (message.from === 'parent') serveOn(handle, message.port, () => process.send({ listening: message.port }));
  }, 2));
} else {
  const child = fork(__filename, ['child']);
  child.on('message', common.mustCall((message, handle) => {
    if (message.from === 'child') {
      serveOn(handle, message.port, () => expectServedBy(message.port, process.pid, () => {
        child.send({ served: true });
        handOver(child, { from: 'parent' }); // parent → child
      }));
    } else {
      expectServedBy(message.listening, child.pid, () => child.disconnect());
    }
  }, 2));
  child.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
}
