// beyond: a peer that writes bytes that are not JSON gives the parent one 'error' (ERR_IPC_BAD_MESSAGE) and a closed channel, and the parent lives on — Node 20's parent dies of the SyntaxError thrown in its read callback
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const crypto = require('crypto');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  // A good message first, then garbage written straight to the channel's descriptor:
  // random bytes (newlines included) after a line that is not JSON.
  process.send({ ok: true }, () => {
    const fd = process.channel.fd;
    try {
      fs.writeSync(fd, '{this is not json\n');
      fs.writeSync(fd, crypto.randomBytes(64 * 1024));
    } catch (err) {
      // The parent may already have closed its end (EPIPE), or the socket is full (EAGAIN).
      if (err.code !== 'EPIPE' && err.code !== 'EAGAIN') throw err;
    }
    setTimeout(() => process.exit(0), 100);
  });
} else {
  const child = fork(__filename, ['child']);
  child.on('message', common.mustCall((message) => assert.deepStrictEqual(message, { ok: true })));
  child.on('error', common.mustCall((err) => {
    assert.strictEqual(err.code, 'ERR_IPC_BAD_MESSAGE');
    assert.match(err.message, /malformed message/);
  }));
  child.on('disconnect', common.mustCall(() => assert.strictEqual(child.connected, false)));
  child.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
  // Still here to see it end.
  process.on('exit', (code) => { if (code === 0) console.log('parent alive at exit'); });
}
