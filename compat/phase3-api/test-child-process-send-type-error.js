// node: test/parallel/test-child-process-send-type-error.js — send() with options that are not an object throws ERR_INVALID_ARG_TYPE, in the parent and in the child
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

// [options value, how the message shows it]
const badOptions = [
  [null, 'Received null'],
  ['', "Received type string ('')"],
  ['foo', "Received type string ('foo')"],
  [0, 'Received type number (0)'],
  [NaN, 'Received type number (NaN)'],
  [1, 'Received type number (1)'],
];

function expected(received) {
  return common.errorMatcher({
    name: 'TypeError',
    code: 'ERR_INVALID_ARG_TYPE',
    message: `The "options" argument must be of type object. ${received}`,
  });
}

function checkRefusals(target) {
  for (const [options, received] of badOptions) {
    assert.throws(() => target.send('msg', null, options), expected(received));
  }
  // With a callback after the bad options: still a throw, and the callback never runs.
  assert.throws(() => target.send('msg', null, null, common.mustNotCall()),
                expected('Received null'));
  // The refusals left the channel usable.
  assert.strictEqual(target.connected, true);
}

if (process.argv[2] === 'child') {
  checkRefusals(process);
  // None of the parent's refused sends reached us: the first message is the valid one.
  process.once('message', common.mustCall((message) => {
    assert.strictEqual(message, 'parent done');
    process.send('child done');
  }));
} else {
  const child = fork(__filename, ['child']);
  checkRefusals(child);
  child.send('parent done');
  child.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'child done');
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
