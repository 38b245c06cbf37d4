// ours: an Object.prototype.stdio that holds 'ipc' does not turn a plain spawn() into an IPC spawn (spawn reads its options' own properties only, as fork does for execPath)
'use strict';
const common = require('../common');
const assert = require('assert');
const { spawn } = require('child_process');

// The child says whether it got a channel.
const script = 'process.stdout.write(String(typeof process.send))';

Object.prototype.stdio = ['pipe', 'pipe', 'pipe', 'ipc'];
let children;
try {
  children = [
    ['empty options', () => spawn(process.execPath, ['-e', script], {})],
    ['options with env', () => spawn(process.execPath, ['-e', script], { env: { ...process.env } })],
    ['options in place of args', () => spawn(process.execPath, { argv0: 'node' })],
  ].map(([label, start]) => [label, start()]);
} finally {
  delete Object.prototype.stdio;
}

for (const [label, child] of children) {
  // Default stdio: three pipes and no channel.
  assert.strictEqual(child.stdio.length, 3, label);
  assert.ok(child.stdin && child.stdout && child.stderr, label);
  assert.strictEqual(child.connected, false, label);
  assert.strictEqual(child.channel, undefined, label);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { out += chunk; });
  child.on('error', common.mustNotCall(`${label}: 'error' emitted`));
  child.on('close', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0, label);
    assert.strictEqual(signal, null, label);
    // The third child runs no script: it reads an empty program from stdin.
    if (label !== 'options in place of args') assert.strictEqual(out, 'undefined', label);
  }));
  child.stdin.end();
}
