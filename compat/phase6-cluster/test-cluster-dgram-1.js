// node: test/parallel/test-cluster-dgram-1.js — workers bind UDP port 0 together (the primary's shared handle); every datagram sent reaches one of them
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const dgram = require('dgram');

const kWorkers = 2;
const kPerWorker = 5;

if (cluster.isPrimary) {
  let listening = 0;
  cluster.on('listening', common.mustCall((worker, address) => {
    assert.strictEqual(address.addressType, 'udp4');
    if (++listening < kWorkers) return;
    // Each worker closes its socket after kPerWorker datagrams, so each ends with exactly that many.
    const client = dgram.createSocket('udp4');
    let sent = 0;
    const next = () => {
      if (sent++ === kWorkers * kPerWorker) return client.close();
      client.send('hello', address.port, '127.0.0.1', common.mustSucceed(next));
    };
    next();
  }, kWorkers));
  for (let i = 0; i < kWorkers; i++) {
    const worker = cluster.fork();
    let received = 0;
    worker.on('message', common.mustCall((message) => {
      received = message.received;
      worker.disconnect();
    }));
    worker.on('exit', common.mustCall((code) => {
      assert.strictEqual(code, 0);
      assert.strictEqual(received, kPerWorker);
    }));
  }
} else {
  const socket = dgram.createSocket('udp4');
  let received = 0;
  socket.on('message', common.mustCall((data) => {
    assert.strictEqual(String(data), 'hello');
    if (++received === kPerWorker) {
      socket.close();
      process.send({ received });
    }
  }, kPerWorker));
  socket.bind(0, '127.0.0.1');
}
