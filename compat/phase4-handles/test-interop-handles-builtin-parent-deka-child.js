// ours: Node's builtin parent and a child on deka-ipc lend each other server sockets; each server's getConnections() and close() are answered by the other implementation
'use strict';
const common = require('../common');
const assert = require('assert');
const deka = require(common.projectRoot);
const { play } = require(common.fixtures.path('handles-interop.js'));

// Node hands the channel over as NODE_CHANNEL_FD=3 and would claim it before any preload
// runs, so env(1) moves it to DEKA_CHANNEL_FD and the child's preload takes it.
const child = deka.builtin.spawn('/usr/bin/env', [
  '-u', 'NODE_CHANNEL_FD',
  '-u', 'NODE_CHANNEL_SERIALIZATION_MODE',
  'DEKA_CHANNEL_FD=3',
  'DEKA_CHANNEL_SERIALIZATION_MODE=json',
  process.execPath,
  '--require', deka.registerPath,
  common.fixtures.path('handles-interop.js'),
], {
  stdio: [0, 1, 2, 'ipc'],
  env: { ...process.env, NODE_OPTIONS: '' },
});
assert.ok(!deka.isDekaChannel(child.channel), 'the parent side is Node\'s builtin');

const side = play(child, 'parent');
child.on('message', common.mustCall((message) => {
  if (message === 'ready') side.lend(common.mustCall(() => child.send('your turn')));
}, 6)); // ready, holding, destroyed, then the child's take, destroy, finished
child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));
