// node: test/parallel/test-cluster-disconnect.js — workers with two servers each serve; cluster.disconnect(cb) ends them all, twice over
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const net = require('net');

if (cluster.isWorker) {
  for (let i = 0; i < 2; i++) net.createServer((socket) => socket.end('echo')).listen(0, '127.0.0.1');
} else {
  const kWorkers = 3;
  const round = common.mustCall((again) => {
    const ports = new Set();
    let listening = 0;
    for (let i = 0; i < kWorkers; i++) {
      cluster.fork().on('listening', common.mustCall((address) => {
        ports.add(address.port);
        if (++listening === kWorkers * 2) check();
      }, 2));
    }
    function check() {
      // Round-robin: the workers share the primary's two listening sockets.
      assert.strictEqual(ports.size, 2);
      let answered = 0;
      for (const port of ports) {
        net.connect(port, '127.0.0.1').setEncoding('utf8').on('data', common.mustCall((text) => {
          assert.strictEqual(text, 'echo');
          if (++answered === ports.size) {
            cluster.disconnect(common.mustCall(() => {
              assert.deepStrictEqual(Object.keys(cluster.workers), []);
              if (again) round(false);
            }));
          }
        }));
      }
    }
  }, 2);
  round(true);
}
