// node: test/parallel/test-process-external-stdio-close.js — a silent forked child whose stdout the parent destroyed can still log (no crash), then disconnect and exit 0
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'go');
    // The reading end is gone: this write fails underneath, and that must not kill us.
    console.log('logging into a closed pipe');
    process.disconnect();
  }));
} else {
  const child = fork(__filename, ['child'], { silent: true });
  const events = [];
  child.on('disconnect', common.mustCall(() => events.push('disconnect')));
  child.on('exit', common.mustCall((code, signal) => {
    events.push('exit');
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
  // The child disconnects itself, so 'close' does come: after the channel, stdio and exit.
  child.on('close', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
    assert.ok(events.includes('disconnect') && events.includes('exit'), events.join());
  }));

  child.stdout.destroy();
  child.send('go');
}
