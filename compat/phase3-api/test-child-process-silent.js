// node: test/parallel/test-child-process-silent.js — fork({ silent: true }) pipes the child's stdout/stderr to the parent (nothing leaks to the parent's own), and IPC works both ways
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork, spawn } = require('child_process');

const role = process.argv[2];

if (role === 'child') {
  process.stdout.write('stdout message');
  process.stderr.write('stderr message');
  process.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'message to child');
    process.send('got message from parent');
  }));
  process.send('message from child');
} else if (role === 'middle') {
  // The forking process: its own stdout/stderr are watched by the top level, so anything
  // the silent child printed would show up there if it were not piped to us.
  const child = fork(__filename, ['child'], { silent: true });
  assert.ok(child.stdin && child.stdout && child.stderr);
  assert.strictEqual(child.stdio[3], null);

  const got = { stdout: '', stderr: '', messages: [] };
  child.stdout.setEncoding('utf8').on('data', (chunk) => { got.stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { got.stderr += chunk; });
  child.on('message', (message) => {
    got.messages.push(message);
    if (message === 'message from child') child.send('message to child');
    else child.disconnect();
  });
  child.on('exit', (code, signal) => {
    got.exit = [code, signal];
  });
  // Streams have ended by the time the exit has been handled and the pipes drained.
  let ended = 0;
  const report = () => {
    if (++ended < 3) return;
    // The one line the top level expects from us.
    process.stdout.write(`${JSON.stringify(got)}\n`);
  };
  child.stdout.on('end', report);
  child.stderr.on('end', report);
  child.on('exit', report);
  setTimeout(() => { if (child.connected) child.disconnect(); }, 5000).unref();
} else {
  const middle = spawn(process.execPath, [__filename, 'middle'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  middle.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
  middle.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  middle.on('close', common.mustCall((code, signal) => {
    assert.strictEqual(stderr, '');
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
    assert.deepStrictEqual(JSON.parse(stdout), {
      stdout: 'stdout message',
      stderr: 'stderr message',
      messages: ['message from child', 'got message from parent'],
      exit: [0, null],
    });
    // Exactly one line: nothing of the child's went to the middle process's own stdout.
    assert.strictEqual(stdout.split('\n').length, 2);
  }));
}
