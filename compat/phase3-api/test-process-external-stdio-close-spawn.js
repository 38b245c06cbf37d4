// node: test/parallel/test-process-external-stdio-close-spawn.js — the same with spawn() and stdio ['pipe', 'pipe', 'pipe', 'ipc']: the child logs after its stdout was destroyed, disconnects, exits 0
'use strict';
const common = require('../common');
const assert = require('assert');
const { spawn } = require('child_process');

if (process.argv[2] === 'child') {
  process.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'go');
    // The reading end is gone: this write fails underneath, and that must not kill us.
    console.log('logging into a closed pipe');
    process.disconnect();
  }));
} else {
  const child = spawn(process.execPath, [__filename, 'child'], {
    stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const events = [];
  child.on('disconnect', common.mustCall(() => events.push('disconnect')));
  child.on('exit', common.mustCall((code, signal) => {
    events.push('exit');
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
  child.on('close', common.mustCall((code, signal) => {
    assert.strictEqual(stderr, '');
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
    assert.ok(events.includes('disconnect') && events.includes('exit'), events.join());
  }));

  child.stdout.destroy();
  child.send('go');
}
