// beyond: a child that writes an impossible index into the shared-memory ring gives the parent one 'error' (ERR_IPC_BAD_MESSAGE) and a closed channel, after the messages before it, and the parent lives on — Node's channel has no shared memory (its child finds no ring to corrupt and the parent sees no error)
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const { fork } = require('child_process');

// deka-ipc's mapping (src-native/shm-ring.cc): the child writes ring 0, whose tail (a 64-bit
// little-endian count of bytes published) is at byte 64, the parent's "attached" flag at 192.
const kTail = 64;
const kAttached = 192;
const kRingSize = 1024 * 1024;

function findRings() {
  for (const name of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${name}`).includes('memfd:deka-ipc-rings')) return Number(name);
    } catch {
      // a descriptor closed while we looked
    }
  }
  return -1;
}

if (process.argv[2] === 'child') {
  process.on('disconnect', () => process.exit(0));
  const rings = findRings();
  if (rings < 0) {
    console.log('no shared-memory ring here: nothing to corrupt');
    process.exit(0);
  }
  process.send('good');
  const word = Buffer.alloc(8);
  const timer = setInterval(() => {
    // Once the parent reads the ring, publish an index more than a ring's size ahead.
    fs.readSync(rings, word, 0, 4, kAttached);
    if (word.readUInt32LE(0) === 0) return;
    clearInterval(timer);
    fs.readSync(rings, word, 0, 8, kTail);
    word.writeBigUInt64LE(word.readBigUInt64LE(0) + BigInt(2 * kRingSize + 1));
    fs.writeSync(rings, word, 0, 8, kTail);
    // Taking channel.fd ends the ring with an 'E' on the socket, which wakes the parent.
    assert.strictEqual(typeof process.channel.fd, 'number');
  }, 5);
  return;
}

// A deka-ipc build without the rings (DEKA_IPC_PORTABLE=1; macOS and the BSDs) has nothing to
// corrupt: its channel stays on the socket.
if (process.env.DEKA_COMPAT_RUNTIME === 'deka-ipc' &&
    !require(require('path').join(common.projectRoot, 'dist', 'native')).binding.sharedRings) {
  common.skip('this deka-ipc build has no shared-memory rings');
}

const child = fork(__filename, ['child']);
child.on('message', common.mustCall((message) => assert.strictEqual(message, 'good')));
child.on('error', common.mustCall((err) => {
  assert.strictEqual(err.code, 'ERR_IPC_BAD_MESSAGE');
  assert.match(err.message, /malformed message.*shared-memory protocol/);
  assert.strictEqual(child.connected, false);
}));
child.on('disconnect', common.mustCall());
child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));
process.on('exit', (code) => { if (code === 0) console.log('parent alive at exit'); });
