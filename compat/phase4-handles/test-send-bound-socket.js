// ours: a net.BoundSocket (Node 24+) sent to a child, which listens on it — Node's behaviour:
// the sender's object is given up (ERR_SOCKET_HANDLE_ADOPTED), the receiver gets a
// net.BoundSocket on the same address, the sender's descriptor is closed once the child has it,
// and a pipe bind cannot be sent (ERR_INVALID_HANDLE_TYPE)
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const net = require('net');
const { fork } = require('child_process');

if (typeof net.BoundSocket !== 'function') common.skip(`net.BoundSocket is not in Node ${process.version}`);

if (process.argv[2] === 'child') {
  process.once('message', common.mustCall((message, bound) => {
    assert.strictEqual(message.what, 'bound');
    assert.ok(bound instanceof net.BoundSocket, 'the child gets a net.BoundSocket');
    assert.strictEqual(bound.address().port, message.port, 'bound to the address the parent chose');
    const server = net.createServer((socket) => socket.end('from the child'));
    server.listen(bound, common.mustCall(() => {
      assert.strictEqual(server.address().port, message.port);
      process.send({ what: 'listening' });
    }));
    process.on('message', (m) => m.what === 'close' && server.close(() => process.disconnect()));
  }));
} else {
  const child = fork(__filename, ['child']);
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));

  // A pipe bind stays: sending it throws, and the channel goes on.
  const pipePath = `\0deka-bound-${process.pid}`;
  if (process.platform === 'linux') {
    const pipeBound = new net.BoundSocket({ path: pipePath });
    assert.throws(() => child.send({ what: 'pipe' }, pipeBound), { code: 'ERR_INVALID_HANDLE_TYPE' });
    pipeBound.close();
  }

  const bound = new net.BoundSocket({ host: '127.0.0.1', port: 0 });
  const { port } = bound.address();
  // What the descriptor points at, to check afterwards that no descriptor of ours still does.
  const target = process.platform === 'linux' ? fs.readlinkSync(`/proc/self/fd/${bound.fd()}`) : null;
  child.send({ what: 'bound', port }, bound, common.mustSucceed());
  assert.throws(() => bound.address(), { code: 'ERR_SOCKET_HANDLE_ADOPTED' });

  child.on('message', common.mustCall((message) => {
    assert.strictEqual(message.what, 'listening');
    if (target) {
      // The child's message came after its ACK: the sender's copy is closed by now.
      const ours = fs.readdirSync('/proc/self/fd').filter((fd) => {
        try { return fs.readlinkSync(`/proc/self/fd/${fd}`) === target; } catch { return false; }
      });
      assert.deepStrictEqual(ours, [], 'the parent keeps no descriptor of the sent socket');
    }
    const client = net.connect(port, '127.0.0.1');
    let text = '';
    client.setEncoding('utf8').on('data', (d) => { text += d; });
    client.on('end', common.mustCall(() => {
      assert.strictEqual(text, 'from the child');
      child.send({ what: 'close' });
    }));
  }));
}
