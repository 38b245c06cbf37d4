// node: test/parallel/test-child-process-fork-exec-argv.js — a forked child inherits its parent's execArgv (the node flags before the script)
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork, spawn } = require('child_process');

const nodeFlags = ['--stack-size=256', '--max-old-space-size=128'];

switch (process.argv[2]) {
  case 'grandchild':
    // Our stdout is the middle process's, which is the top parent's pipe.
    process.stdout.write(JSON.stringify(process.execArgv), () => process.exit(0));
    break;
  case 'middle': {
    // Started with nodeFlags; fork() without execArgv must pass them on.
    assert.deepStrictEqual(process.execArgv, nodeFlags);
    const child = fork(__filename, ['grandchild']);
    child.on('exit', common.mustCall((code, signal) => {
      assert.strictEqual(code, 0);
      assert.strictEqual(signal, null);
    }));
    break;
  }
  default: {
    // The middle process is a plain spawn (no IPC): only its fork() is under test.
    const middle = spawn(process.execPath, [...nodeFlags, __filename, 'middle', 'extra'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    middle.stdout.setEncoding('utf8');
    middle.stdout.on('data', (chunk) => { out += chunk; });
    middle.on('close', common.mustCall((code, signal) => {
      assert.strictEqual(code, 0);
      assert.strictEqual(signal, null);
      assert.deepStrictEqual(JSON.parse(out), nodeFlags);
    }));
  }
}
