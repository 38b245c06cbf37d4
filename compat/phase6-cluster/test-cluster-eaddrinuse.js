// node: test/parallel/test-cluster-eaddrinuse.js — a forked child gets EADDRINUSE on the parent's port, and can listen there once the parent closed it
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');
const net = require('net');

if (process.argv[2] === 'child') {
  const port = Number(process.argv[3]);
  const first = net.createServer(common.mustNotCall());
  first.listen(port, common.mustNotCall());
  first.on('error', common.mustCall((err) => {
    assert.strictEqual(err.code, 'EADDRINUSE');
    process.once('message', common.mustCall((message) => {
      assert.strictEqual(message, 'closed');
      const second = net.createServer(common.mustNotCall());
      second.listen(port, common.mustCall(() => second.close(() => process.disconnect())));
    }));
    process.send('in use');
  }));
} else {
  const server = net.createServer(common.mustNotCall());
  server.listen(0, common.mustCall(() => {
    const child = fork(__filename, ['child', server.address().port]);
    child.on('message', common.mustCall((message) => {
      assert.strictEqual(message, 'in use');
      server.close(common.mustCall(() => child.send('closed')));
    }));
    child.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
  }));
}
