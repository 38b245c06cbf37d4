// node: test/parallel/test-child-process-fork-stdio.js — fork() with a custom stdio array: slots as asked, an extra pipe on fd 4, ERR_CHILD_PROCESS_IPC_REQUIRED without 'ipc'
'use strict';
const common = require('../common');
const assert = require('assert');
const net = require('net');
const { fork } = require('child_process');

const PAYLOAD = 'bytes that travel over the extra pipe on fd 4';

if (process.argv[2] === 'child') {
  // fd 1 is /dev/null, fd 2 goes to the parent, fd 3 is the channel, fd 4 an extra pipe.
  process.stdout.write('nobody reads this');
  process.stderr.write('stderr reaches the parent');
  assert.strictEqual(process.channel.fd, 3);

  const extra = new net.Socket({ fd: 4 });
  extra.setEncoding('utf8');
  // Whatever arrives on fd 4 goes back over the channel.
  extra.on('data', (chunk) => process.send(chunk));
  // The parent lets go of the channel once it has everything; the pipe must not keep us.
  process.on('disconnect', common.mustCall(() => extra.unref()));
} else {
  // An array without 'ipc' is refused before anything starts.
  assert.throws(
    () => fork(__filename, ['child'], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] }),
    common.errorMatcher({
      name: 'Error',
      code: 'ERR_CHILD_PROCESS_IPC_REQUIRED',
      message: "Forked processes must have an IPC channel, missing value 'ipc' in options.stdio",
    }));

  const child = fork(__filename, ['child'], {
    stdio: [0, 'ignore', 'pipe', 'ipc', 'pipe'],
  });

  // Streams exist only where a pipe was asked for.
  assert.strictEqual(child.stdio.length, 5);
  assert.strictEqual(child.stdin, null);
  assert.strictEqual(child.stdout, null);
  assert.ok(child.stderr);
  assert.strictEqual(child.stdio[2], child.stderr);
  assert.strictEqual(child.stdio[3], null); // the channel has no stream
  assert.ok(child.stdio[4] && typeof child.stdio[4].write === 'function');
  assert.strictEqual(child.connected, true);

  let viaChannel = '';
  child.on('message', common.mustCallAtLeast((chunk) => {
    viaChannel += chunk;
    if (viaChannel === PAYLOAD) child.disconnect();
  }));

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  // Not 'close': after the parent's own disconnect() Node never emits it (issue #19433).
  child.stderr.on('end', common.mustCall(() => {
    assert.strictEqual(stderr, 'stderr reaches the parent');
  }));

  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(viaChannel, PAYLOAD);
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));

  child.stdio[4].write(Buffer.from(PAYLOAD));

  // If the bytes never come back, stop waiting so the counts report it.
  setTimeout(() => { if (child.connected) child.disconnect(); }, 5000).unref();
}
