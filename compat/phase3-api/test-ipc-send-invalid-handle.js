// ours: send() with a second argument that is truthy but not a socket, server or dgram socket throws ERR_INVALID_HANDLE_TYPE and sends nothing
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  // Only the valid message sent after the refusals may arrive.
  process.once('message', common.mustCall((message) => {
    assert.strictEqual(message, 'valid');
    process.send('received');
  }));
} else {
  const child = fork(__filename, ['child']);

  // Not handles at all: each is refused before anything is written.
  for (const notAHandle of [{}, [], 1, 'x', true, { fd: 0 }, Buffer.from('x')]) {
    assert.throws(() => child.send('refused', notAHandle), common.errorMatcher({
      name: 'TypeError',
      code: 'ERR_INVALID_HANDLE_TYPE',
      message: 'This handle type cannot be sent',
    }));
  }
  // Falsy values mean "no handle": the message goes out as usual.
  assert.strictEqual(child.send('valid', 0), true);
  assert.strictEqual(child.connected, true);

  child.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'received');
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
