// beyond: 'close' still fires after the parent calls disconnect() — Node 20 never counts its own closed channel, so 'close' never comes (nodejs/node#19433)
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  // Stay alive until the parent lets go, then leave on our own.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 20));
} else {
  const child = fork(__filename, ['child']);
  const events = [];
  child.on('disconnect', common.mustCall(() => events.push('disconnect')));
  child.on('exit', common.mustCall((code) => events.push(`exit ${code}`)));
  child.on('close', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
    assert.deepStrictEqual(events, ['disconnect', 'exit 0']);
  }));
  child.on('spawn', () => child.disconnect());
  // Without 'close' the loop would simply end; the mustCall above reports it.
}
