// node: test/parallel/test-child-process-fork-exec-path.js — options.execPath runs the child with another binary (a copy of node) and IPC still works
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fork } = require('child_process');

const greeting = { test: 'this' };

if (process.env.DEKA_COMPAT_EXEC_PATH) {
  // Node sets argv[0] to the binary actually running: the copy, not the original.
  assert.strictEqual(process.argv[0], process.env.DEKA_COMPAT_EXEC_PATH);
  assert.strictEqual(process.execPath, process.env.DEKA_COMPAT_EXEC_PATH);
  assert.strictEqual(typeof process.send, 'function');
  process.send(greeting);
  process.exit(0);
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-compat-exec-path-'));
  const copy = path.join(dir, 'node-copy');
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  process.on('exit', cleanup);

  fs.copyFileSync(process.execPath, copy);
  fs.chmodSync(copy, 0o755);
  assert.notStrictEqual(fs.realpathSync(copy), fs.realpathSync(process.execPath));

  const child = fork(__filename, {
    execPath: copy,
    env: { ...process.env, DEKA_COMPAT_EXEC_PATH: copy },
  });
  assert.strictEqual(child.spawnfile, copy);
  child.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, greeting);
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
