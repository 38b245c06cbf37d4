// node: test/parallel/test-child-process-advanced-serialization-splitted-length-field.js — ten 65521-byte Buffers, whose frames end so that later length prefixes straddle reads, all arrive (Node issue #55834)
'use strict';
const common = require('../common');
const assert = require('assert');
const child_process = require('child_process');

// 65521 bytes of payload plus the serializer's own bytes and the 4-byte length: frames that
// do not divide a read buffer, so sooner or later a length prefix is cut between two reads.
const size = 65521;
const count = 10;

if (process.argv[2] === 'child') {
  const payload = Buffer.alloc(size);
  let sent = 0;
  // Each send waits for the previous one to be written, then the child exits on purpose.
  (function sendNext() {
    if (sent === count) {
      process.nextTick(() => process.exit(0));
      return;
    }
    payload.fill(sent++ % 256);
    process.send(payload, sendNext);
  })();
  return;
}

const child = child_process.spawn(process.execPath, [__filename, 'child'], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  serialization: 'advanced',
});

let received = 0;
child.on('message', common.mustCall((message) => {
  assert.ok(Buffer.isBuffer(message));
  assert.strictEqual(message.length, size);
  assert.ok(message.equals(Buffer.alloc(size, received)), `message ${received} intact`);
  received++;
}, count));

child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));
