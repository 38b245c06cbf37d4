// beyond: a message larger than DEKA_IPC_MAX_FRAME_BYTES is refused by the receiver with ERR_IPC_FRAME_TOO_LARGE and the channel closes, in both modes, announced (advanced) or streamed without a newline (json) — Node has no limit and allocates whatever a peer claims
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');
const fs = require('fs');

const limit = 4096;

if (process.argv[2] === 'child') {
  const [, , , mode, how] = process.argv;
  process.send('small');
  if (how === 'send') {
    // A normal send() of a value just over the receiver's limit.
    process.send(mode === 'json' ? 'x'.repeat(limit) : Buffer.alloc(limit));
  } else {
    // json: a string that never ends its line, written raw, a little at a time (it opens
    // with a quote: a line no JSON text could start is refused at its first byte).
    let written = 0;
    const timer = setInterval(() => {
      try {
        const bytes = Buffer.alloc(1000, 'z');
        if (written === 0) bytes[0] = 0x22;
        fs.writeSync(process.channel.fd, bytes);
      } catch (err) {
        // The parent closed the channel before our 'disconnect' ran: that is the point.
        assert.ok(['EPIPE', 'ECONNRESET'].includes(err.code), err.message);
        clearInterval(timer);
        return;
      }
      written += 1000;
      if (written > 4 * limit) clearInterval(timer);
    }, 1);
    process.on('disconnect', () => clearInterval(timer));
  }
  process.on('disconnect', common.mustCall());
  return;
}

// The limit is read when a channel is set up, in the parent as in the child.
process.env.DEKA_IPC_MAX_FRAME_BYTES = String(limit);

for (const [mode, how, frameBytes] of [
  ['advanced', 'send', limit + 7], // V8's header, the host tag, view type and size on top
  ['json', 'send', limit + 2],
  ['json', 'stream', undefined],
]) {
  const child = fork(__filename, ['child', mode, how], { serialization: mode });
  child.on('message', common.mustCall((message) => assert.strictEqual(message, 'small')));
  child.on('error', common.mustCall((err) => {
    assert.strictEqual(err.name, 'RangeError');
    assert.strictEqual(err.code, 'ERR_IPC_FRAME_TOO_LARGE');
    assert.strictEqual(err.maxFrameBytes, limit);
    assert.ok(err.frameBytes > limit, `${mode}/${how}: ${err.frameBytes} bytes reported`);
    // A line is measured whole when it arrives whole, else as far as it has come.
    if (frameBytes !== undefined) assert.ok(err.frameBytes <= frameBytes, `${err.frameBytes} <= ${frameBytes}`);
    assert.match(err.message, new RegExp(`maximum frame size of ${limit} bytes`));
    assert.strictEqual(child.connected, false);
  }));
  child.on('disconnect', common.mustCall());
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0, `${mode}/${how}`);
    assert.strictEqual(signal, null);
  }));
}
