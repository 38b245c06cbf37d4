// ours: a message sent just before a synchronous endless loop reaches the parent (the handshake of Node's test-vm-sigint: the parent interrupts the loop once it hears 'ready')
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.send('ready');
  // The event loop never runs again: 'ready' can only arrive if send() wrote it.
  for (;;);
} else {
  const child = fork(__filename, ['child']);
  child.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'ready');
    child.kill('SIGKILL');
  }));
  child.on('exit', common.mustCall((code, signal) => {
    clearTimeout(giveUp);
    assert.strictEqual(signal, 'SIGKILL');
  }));
  // A lost 'ready' would leave the child spinning forever: fail fast instead.
  const giveUp = setTimeout(() => {
    child.kill('SIGKILL');
    assert.fail("'ready' never arrived while the child was busy");
  }, 20000);
}
