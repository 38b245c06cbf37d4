// node: test/parallel/test-cluster-listening-port.js — the 'listening' address carries the port the worker's server got
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const net = require('net');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  // The worker's own report and the primary's 'listening' may come in either order.
  const ports = [];
  const both = (port) => {
    ports.push(port);
    if (ports.length < 2) return;
    assert.ok(ports[0] > 0);
    assert.strictEqual(ports[0], ports[1]);
    worker.kill();
  };
  cluster.on('listening', common.mustCall((w, address) => both(address.port)));
  worker.on('message', common.mustCall(both));
} else {
  const server = net.createServer(common.mustNotCall());
  server.listen(0, () => process.send(server.address().port));
}
