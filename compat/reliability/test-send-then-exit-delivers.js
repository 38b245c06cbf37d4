// beyond: large messages sent just before process.exit() are all delivered — Node 20 exits with the writes still queued and loses them (nodejs/node#36268)
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const count = 5;
const size = 1024 * 1024;

if (process.argv[2] === 'child') {
  for (let i = 0; i < count; i++) process.send({ i, body: String(i).repeat(size) });
  process.exit(0);
} else {
  const child = fork(__filename, ['child']);
  let next = 0;
  child.on('message', common.mustCall((message) => {
    assert.strictEqual(message.i, next++);
    assert.strictEqual(message.body.length, size);
  }, count));
  child.on('close', common.mustCall((code) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(next, count);
  }));
}
