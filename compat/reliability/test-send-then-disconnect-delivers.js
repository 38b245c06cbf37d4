// beyond: an 8 MiB message sent just before process.disconnect() is delivered — Node 20 closes the channel with the write still queued and loses it (300 KB is lost too, but only when the parent reads slowly)
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const size = 8 * 1024 * 1024;

if (process.argv[2] === 'child') {
  // Far bigger than the socket buffer, so most of it is still queued when disconnect() runs.
  process.send('d'.repeat(size));
  process.disconnect();
} else {
  const child = fork(__filename, ['child']);
  child.on('message', common.mustCall((message) => {
    assert.strictEqual(message.length, size);
    assert.ok(/^d+$/.test(message));
  }));
  child.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
}
