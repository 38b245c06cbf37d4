// node: test/parallel/test-listen-fd-server.js — a listening server handle passed as stdio fd 3, the channel on fd 4: the child serves HTTP on fd 3 and talks over fd 4
'use strict';
const common = require('../common');
if (process.platform === 'win32') common.skip('listening on an inherited fd is POSIX only');

const assert = require('assert');
const http = require('http');
const net = require('net');
const { spawn } = require('child_process');

if (process.argv[2] === 'child') {
  assert.strictEqual(process.channel.fd, 4);
  // When the parent lets go, we are done.
  process.on('disconnect', common.mustCall(() => process.exit(0)));
  http.createServer((req, res) => {
    res.end(`hello from child ${req.method} ${req.url}\n`);
  }).listen({ fd: 3 }, common.mustCall(function() {
    process.send({ listening: this.address().port });
  }));
  return;
}

// Any connection that reaches this process's own server would be a failure: once the
// child has the fd, the parent closes its server.
const server = net.createServer(common.mustNotCall('connection accepted by the parent'));
server.listen(0, '127.0.0.1', common.mustCall(() => {
  const { port } = server.address();
  const child = spawn(process.execPath, [__filename, 'child'], {
    // server._handle is the listening socket itself (Node's test passes it the same way).
    stdio: ['ignore', 'inherit', 'inherit', server._handle, 'ipc'],
  });
  // The handle slot and the channel slot have no streams.
  assert.strictEqual(child.stdio[3], null);
  assert.strictEqual(child.stdio[4], null);
  server.close(); // the child's copy of the fd keeps accepting

  child.on('message', common.mustCall((message) => {
    // The child listens on the very socket we bound.
    assert.deepStrictEqual(message, { listening: port });
    http.get({ host: '127.0.0.1', port, path: '/ping', agent: false }, common.mustCall((res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', common.mustCall(() => {
        assert.strictEqual(res.statusCode, 200);
        assert.strictEqual(body, 'hello from child GET /ping\n');
        child.disconnect();
      }));
    }));
  }));

  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
  // Should the request never be answered, stop the child so the counts report it.
  setTimeout(() => child.kill(), 5000).unref();
}));
