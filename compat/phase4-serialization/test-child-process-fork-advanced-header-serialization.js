// node: test/parallel/test-child-process-fork-advanced-header-serialization.js — a child that writes only a length prefix (0x1 … 0x7fffffff) to its advanced channel and exits does not crash the parent
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');
const fs = require('fs');

if (process.argv[2] === 'child') {
  // Bypass send(): four raw bytes announcing a frame that never comes.
  const header = Buffer.alloc(4);
  header.writeUInt32BE(Number(process.argv[3]));
  assert.strictEqual(typeof process.channel.fd, 'number');
  fs.writeSync(process.channel.fd, header);
  return;
}

// Lengths that read the same signed and unsigned: Node 20's reader waits for the rest, then
// sees EOF. (0 and 0x80000000 and above crash Node 20's parent: see the beyond case
// test-ipc-advanced-header-any-length.js.)
for (const length of [0x00000001, 0x00000010, 0x0000ffff, 0x40000001, 0x7fffffff]) {
  const child = fork(__filename, ['child', String(length)], {
    serialization: 'advanced',
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', common.mustNotCall('no message can come out of a bare length'));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
