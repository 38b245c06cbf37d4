// node: test/parallel/test-child-process-recv-handle.js — messages read in one batch: the handle belongs to its own message only (a net.Server instead of the raw server._handle)
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const net = require('net');
const { spawn } = require('child_process');

if (process.argv[2] === 'child') {
  let n = 0;
  process.on('message', common.mustCall((message, handle) => {
    n++;
    if (n === 1) {
      assert.strictEqual(message, 'one');
      assert.strictEqual(handle, undefined);
    } else if (n === 2) {
      assert.strictEqual(message, 'two');
      assert.ok(handle instanceof net.Server);
      handle.close();
    } else {
      assert.strictEqual(message, 'three');
      assert.strictEqual(handle, undefined);
      process.disconnect();
    }
  }, 3));
  process.stdout.write('blocked\n');
  // Hold the event loop until the parent has sent everything, so the messages sit in the
  // socket together and are read in one go.
  blockUntilStdin();
} else {
  const child = spawn(process.execPath, [__filename, 'child'], {
    stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
  });
  const server = net.createServer(common.mustNotCall());
  child.stdout.setEncoding('utf8');
  child.stdout.once('data', common.mustCall((data) => {
    assert.strictEqual(data, 'blocked\n');
    server.listen(0, '127.0.0.1', common.mustCall(() => {
      child.send('one');
      child.send('two', server);
      child.send('three');
      child.stdin.write('go\n');
    }));
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
    server.close();
  }));
}

function blockUntilStdin() {
  const buffer = Buffer.alloc(16);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      if (fs.readSync(0, buffer, 0, buffer.length, null) > 0) return;
    } catch (err) {
      if (err.code !== 'EAGAIN') throw err;
    }
    Atomics.wait(nap, 0, 0, 5);
  }
}
