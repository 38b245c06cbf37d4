// node: test/parallel/test-child-process-fork-close.js — a child that sends then exits: 'message', then 'exit', then 'close', each once
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.send('hello');
  process.exit(0);
} else {
  const child = fork(__filename, ['child']);
  const events = [];

  child.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'hello');
    events.push('message');
  }));

  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
    events.push('exit');
  }));

  child.on('close', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
    events.push('close');
    assert.deepStrictEqual(events, ['message', 'exit', 'close']);
    // By 'close' the channel is gone.
    assert.strictEqual(child.connected, false);
    assert.strictEqual(child.channel, null);
  }));
}
