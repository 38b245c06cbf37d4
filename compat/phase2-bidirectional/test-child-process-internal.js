// node: test/parallel/test-child-process-internal.js — a cmd starting with NODE_ is an 'internalMessage', anything else a 'message'
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

// Only a string cmd that starts with NODE_ *and* has more after it is internal.
const messages = [
  { cmd: 'fooNODE_' }, // prefix in the wrong place
  { cmd: 'NODE_' },    // the bare prefix
  { cmd: 'NODE_bar' }, // internal
  { cmd: 5 },          // not a string
];
const expectedOrder = [
  ['message', { cmd: 'fooNODE_' }],
  ['message', { cmd: 'NODE_' }],
  ['internalMessage', { cmd: 'NODE_bar' }],
  ['message', { cmd: 5 }],
];

// Records what arrives on `target` under each event name; calls done() after the last one.
function collect(target, done) {
  const seen = [];
  const record = (event) => (message) => {
    seen.push([event, message]);
    if (seen.length === expectedOrder.length) {
      // Same order as sent: internal and normal messages share one queue.
      assert.deepStrictEqual(seen, expectedOrder);
      done();
    }
  };
  target.on('message', common.mustCall(record('message'), 3));
  target.on('internalMessage', common.mustCall(record('internalMessage'), 1));
}

if (process.argv[2] === 'child') {
  // Child -> parent first; then the parent sends the same set back and we check it here.
  collect(process, () => process.disconnect());
  for (const m of messages) process.send(m);
} else {
  const child = fork(__filename, ['child']);
  collect(child, () => {
    for (const m of messages) child.send(m);
  });
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
