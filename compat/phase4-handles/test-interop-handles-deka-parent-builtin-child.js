// ours: a deka-ipc parent and a child on Node's builtin IPC lend each other server sockets; each server's getConnections() and close() are answered by the other implementation
'use strict';
const common = require('../common');
const assert = require('assert');
const interop = require('../fixtures/interop');
const { play } = require(common.fixtures.path('handles-interop.js'));

const child = interop.dekaParentOfBuiltinChild(common.fixtures.path('handles-interop.js'));

const side = play(child, 'parent');
child.on('message', common.mustCall((message) => {
  if (message === 'ready') side.lend(common.mustCall(() => child.send('your turn')));
}, 6)); // ready, holding, destroyed, then the child's take, destroy, finished
child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));
