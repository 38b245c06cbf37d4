// ours: a raw wrap of an accepted TCP connection and of a unix-socket connection (what a round-robin primary hands out) becomes a working new net.Socket({ handle }) in the receiver
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');
const net = require('net');
const os = require('os');
const path = require('path');
const fs = require('fs');

if (process.argv[2] === 'child') {
  process.on('message', common.mustCall((message, handle) => {
    assert.strictEqual(handle.constructor.name, message.kind);
    const socket = new net.Socket({ handle, readable: true, writable: true });
    socket.setEncoding('utf8');
    socket.once('data', common.mustCall((text) => {
      assert.strictEqual(text, `hello ${message.kind}`);
      socket.end(`child read: ${text}`);
    }));
    socket.resume();
  }, 2));
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-raw-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const child = fork(__filename, ['child']);
  let done = 0;
  const finish = () => {
    if (++done === 2) child.disconnect();
  };
  for (const [kind, where] of [['TCP', { port: 0, host: '127.0.0.1' }], ['Pipe', { path: path.join(dir, 's.sock') }]]) {
    // pauseOnConnect: nothing is read here; the connection belongs to the child.
    const server = net.createServer({ pauseOnConnect: true }, common.mustCall((connection) => {
      const wrap = connection._handle;
      child.send({ kind }, wrap, common.mustSucceed(() => {
        // Like a cluster primary: once sent, our copy of the descriptor goes.
        connection.destroy();
      }));
    }));
    server.listen(where, common.mustCall(() => {
      const address = server.address();
      const client = net.connect(typeof address === 'string' ? { path: address } : { port: address.port, host: '127.0.0.1' });
      client.setEncoding('utf8');
      client.write(`hello ${kind}`);
      let reply = '';
      client.on('data', (chunk) => (reply += chunk));
      client.on('end', common.mustCall(() => {
        assert.strictEqual(reply, `child read: hello ${kind}`);
        server.close();
        finish();
      }));
    }));
  }
  child.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
}
