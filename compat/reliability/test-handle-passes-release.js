// ours: 1000 sockets passed to a child one after another leave the sender as they found it: no descriptor left open, and the heap back where it was after a full GC
// timeout: 120
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const net = require('net');
const { fork } = require('child_process');

const passes = 1000;
const [, , role] = process.argv;

if (role === 'child') {
  process.on('message', (m, socket) => {
    socket.destroy();
    process.send(m);
  });
} else if (role === 'parent') {
  const openFds = () => fs.readdirSync('/proc/self/fd').length;
  const heap = () => {
    global.gc();
    global.gc();
    return process.memoryUsage().heapUsed;
  };
  const child = fork(__filename, ['child']);
  const clients = [];
  const server = net.createServer((socket) => {
    child.send(sent, socket);
  });
  let sent = 0;
  let fdsBefore;
  let heapBefore;
  const next = () => {
    const client = net.connect(server.address().port, '127.0.0.1');
    client.on('error', () => {});
    client.on('close', () => clients.splice(clients.indexOf(client), 1));
    clients.push(client);
  };
  child.on('message', (m) => {
    assert.strictEqual(m, sent);
    clients[0]?.destroy();
    if (++sent === 10) {
      // Measure from here: the first passes warm up what stays (code, caches).
      fdsBefore = openFds();
      heapBefore = heap();
    }
    if (sent < passes + 10) return next();
    setTimeout(() => {
      const result = { fdGrowth: openFds() - fdsBefore, heapGrowth: heap() - heapBefore };
      child.disconnect();
      server.close();
      process.send(result);
    }, 100);
  });
  server.listen(0, '127.0.0.1', next);
} else {
  const parent = fork(__filename, ['parent'], { execArgv: ['--expose-gc'] });
  parent.on('message', common.mustCall(({ fdGrowth, heapGrowth }) => {
    assert.ok(fdGrowth <= 0, `${fdGrowth} descriptors more than before ${passes} passes`);
    assert.ok(heapGrowth < 1024 * 1024, `the heap grew by ${heapGrowth} bytes over ${passes} passes`);
  }));
  parent.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
}
