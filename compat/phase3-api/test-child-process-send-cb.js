// node: test/parallel/test-child-process-send-cb.js — the send() callback is called once, asynchronously, with null, in the child and in the parent
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

// Sends `message` on `target` and checks that its callback runs later with exactly null.
function sendAndCheck(target, message) {
  let returned = false;
  const result = target.send(message, common.mustCall(function(...args) {
    assert.strictEqual(returned, true, 'callback ran before send() returned');
    assert.deepStrictEqual(args, [null]);
  }));
  returned = true;
  assert.strictEqual(result, true);
}

if (process.argv[2] === 'child') {
  process.once('message', common.mustCall((message) => {
    assert.strictEqual(message, 'ack');
  }));
  sendAndCheck(process, 'ok');
} else {
  const child = fork(__filename, ['child']);
  child.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'ok');
    sendAndCheck(child, 'ack');
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
