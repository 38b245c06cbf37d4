// ours: the seed plan's example — ask the child a question, get {result: 42}, both sides disconnect and exit cleanly
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  assert.strictEqual(process.connected, true);
  process.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, { compute: 'meaning of life' });
    process.send({ result: 42 });
  }));
  // The parent closes the channel; the child sees it, then nothing keeps it alive.
  process.on('disconnect', common.mustCall(() => {
    assert.strictEqual(process.connected, false);
  }));
} else {
  const child = fork(__filename, ['child']);
  child.send({ compute: 'meaning of life' });

  child.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, { result: 42 });
    child.disconnect();
    assert.strictEqual(child.connected, false);
  }));
  child.on('disconnect', common.mustCall());

  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
