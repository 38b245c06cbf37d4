// beyond: a length prefix of 0 or with the top bit set (0x80000000 … 0xffffffff) gives the parent a clear 'error' and a closed channel — Node 20 reads the length signed and its parent dies in the V8 deserializer
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');
const fs = require('fs');

if (process.argv[2] === 'child') {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(Number(process.argv[3]));
  fs.writeSync(process.channel.fd, header);
  // Stay until the parent has given up on the channel.
  process.on('disconnect', () => {});
  return;
}

const cases = [
  // An empty frame holds no value at all.
  [0x00000000, 'ERR_IPC_BAD_MESSAGE', /malformed message/],
  // Above the 1 GiB default limit: refused from the four bytes alone, nothing allocated.
  [0x80000000, 'ERR_IPC_FRAME_TOO_LARGE', /IPC message of 2147483648 bytes exceeds the maximum frame size of 1073741824 bytes/],
  [0x80000001, 'ERR_IPC_FRAME_TOO_LARGE', /IPC message of 2147483649 bytes exceeds/],
  [0xffffffff, 'ERR_IPC_FRAME_TOO_LARGE', /IPC message of 4294967295 bytes exceeds/],
];

for (const [length, code, message] of cases) {
  const child = fork(__filename, ['child', String(length)], {
    serialization: 'advanced',
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', common.mustNotCall());
  child.on('error', common.mustCall((err) => {
    assert.strictEqual(err.code, code);
    assert.match(err.message, message);
    assert.strictEqual(child.connected, false, 'the channel is closed by then');
  }));
  child.on('disconnect', common.mustCall());
  child.on('exit', common.mustCall((exitCode, signal) => {
    assert.strictEqual(exitCode, 0);
    assert.strictEqual(signal, null);
  }));
}
