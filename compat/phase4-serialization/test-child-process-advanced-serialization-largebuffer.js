// node: test/parallel/test-child-process-advanced-serialization-largebuffer.js — four 8 MiB typed arrays from the child arrive whole and in order (Node issue #34797)
'use strict';
const common = require('../common');
const assert = require('assert');
const child_process = require('child_process');

const size = 8 * 1024 * 1024;

if (process.argv[2] === 'child') {
  // Sent back to back; the child then has nothing left to do and exits once they are out.
  for (let i = 0; i < 4; i++) process.send(new Uint8Array(size).fill(i));
  return;
}

const child = child_process.spawn(process.execPath, [__filename, 'child'], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  serialization: 'advanced',
});

const order = [];
child.on('message', common.mustCall((array) => {
  assert.ok(array instanceof Uint8Array && !Buffer.isBuffer(array), 'a Uint8Array comes back a Uint8Array');
  assert.strictEqual(array.length, size);
  const fill = array[0];
  // Compare as Buffers: assert would print 8 MiB on a mismatch.
  const expected = Buffer.alloc(size, fill);
  assert.ok(expected.equals(Buffer.from(array.buffer, array.byteOffset, array.byteLength)),
            `message ${order.length} (fill ${fill}) arrived intact`);
  order.push(fill);
  if (order.length === 4) assert.deepStrictEqual(order, [0, 1, 2, 3]);
}, 4));

// 'exit' may come before the last message is read (as in Node: 'close' is the event that waits
// for the channel); mustCall checks all four arrived by the time this process exits.
child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));
