// node: test/parallel/test-child-process-validate-stdio.js — stdio validation through spawn(): bad values, short arrays padded with pipes, stream objects as fds, ERR_IPC_SYNC_FORK, the channel on the 'ipc' index
'use strict';
const common = require('../common');
const assert = require('assert');
const { spawn, spawnSync } = require('child_process');

if (process.argv[2] === 'child') {
  // Reports which fd the channel landed on, then waits for the parent to let go.
  if (process.argv[3] === 'print') {
    process.stdout.write('to stdout');
    process.stderr.write('to stderr');
  }
  process.send({ channelFd: process.channel.fd });
  process.on('disconnect', common.mustCall());
  process.on('message', common.mustNotCall());
  return;
}

const badValue = (received) => common.errorMatcher({
  name: 'TypeError',
  code: 'ERR_INVALID_ARG_VALUE',
  message: `The argument 'stdio' is invalid. Received ${received}`,
});
// Neither a known string nor an array.
assert.throws(() => spawn(process.execPath, ['-e', '0'], { stdio: 'foo' }), badValue("'foo'"));
assert.throws(() => spawn(process.execPath, ['-e', '0'], { stdio: 600 }), badValue('600'));

// Synchronous children cannot have a channel; that is reported before the duplicate 'ipc'.
assert.throws(() => spawnSync(process.execPath, ['-e', '0'], { stdio: ['ipc', 'ipc', 'ipc'] }),
              common.errorMatcher({
                name: 'Error',
                code: 'ERR_IPC_SYNC_FORK',
                message: 'IPC cannot be used with synchronous forks',
              }));

// Runs one child that reports its channel fd; `check` looks at the ChildProcess first.
function run(stdio, args, expectedFd, check, done) {
  const child = spawn(process.execPath, [__filename, 'child', ...args], { stdio });
  check(child);
  let stdout = '';
  let stderr = '';
  if (child.stdout) child.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
  if (child.stderr) child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
  child.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, { channelFd: expectedFd });
    child.disconnect();
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
  // Wait for the pipes too, so all of the output has been read.
  let pending = 1 + (child.stdout ? 1 : 0) + (child.stderr ? 1 : 0);
  const finished = () => { if (--pending === 0) done({ stdout, stderr }); };
  child.on('exit', finished);
  if (child.stdout) child.stdout.on('end', finished);
  if (child.stderr) child.stderr.on('end', finished);
  setTimeout(() => { if (child.connected) child.disconnect(); }, 5000).unref();
}

// Objects with an fd (the parent's own stdio streams) are passed as those fds: no streams
// on the ChildProcess, and the channel is on the 'ipc' index.
run([process.stdin, process.stdout, process.stderr, 'ipc'], [], 3, (child) => {
  assert.deepStrictEqual([child.stdin, child.stdout, child.stderr], [null, null, null]);
  assert.deepStrictEqual(child.stdio, [null, null, null, null]);
}, common.mustCall());

// Fewer than three entries: the array is padded (in place) with undefined, and the
// missing slots default to pipes.
const short = ['ipc'];
run(short, ['print'], 0, (child) => {
  assert.strictEqual(child.stdin, null);
  assert.ok(child.stdout && child.stderr);
  assert.strictEqual(child.stdio.length, 3);
}, common.mustCall(({ stdout, stderr }) => {
  assert.strictEqual(stdout, 'to stdout');
  assert.strictEqual(stderr, 'to stderr');
  assert.deepStrictEqual(short, ['ipc', undefined, undefined]);
}));
