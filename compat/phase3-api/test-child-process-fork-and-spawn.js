// node: test/parallel/test-child-process-fork-and-spawn.js — a forked child can spawn a grandchild, which runs without IPC and exits instead of hanging
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork, spawn } = require('child_process');

switch (process.argv[2]) {
  case 'spawned':
    // Nothing of the forked child's channel reaches a process spawned without 'ipc'.
    assert.strictEqual(process.send, undefined);
    assert.strictEqual(process.channel, undefined);
    assert.strictEqual(process.connected, undefined);
    break;
  case 'forked': {
    assert.strictEqual(typeof process.send, 'function');
    const grandchild = spawn(process.execPath, [__filename, 'spawned'], { stdio: 'inherit' });
    grandchild.on('exit', common.mustCall((code, signal) => {
      assert.strictEqual(code, 0);
      assert.strictEqual(signal, null);
    }));
    break;
  }
  default: {
    const child = fork(__filename, ['forked']);
    // A hung grandchild would keep the forked child waiting: fail instead of timing out.
    const giveUp = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.on('exit', common.mustCall((code, signal) => {
      clearTimeout(giveUp);
      assert.strictEqual(signal, null);
      assert.strictEqual(code, 0);
    }));
  }
}
