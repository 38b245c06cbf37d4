// ours: Node's builtin parent and a child on deka-ipc (channel fd handed over in DEKA_CHANNEL_FD) talk both ways
'use strict';
const common = require('../common');
const assert = require('assert');
const deka = require(common.projectRoot);

// The runtime's own spawn, even when our preload has replaced child_process.spawn.
// Node hands the channel over as NODE_CHANNEL_FD=3 and would claim it before any
// preload runs, so env(1) moves it to DEKA_CHANNEL_FD and the child's preload takes it.
const child = deka.builtin.spawn('/usr/bin/env', [
  '-u', 'NODE_CHANNEL_FD',
  '-u', 'NODE_CHANNEL_SERIALIZATION_MODE',
  'DEKA_CHANNEL_FD=3',
  'DEKA_CHANNEL_SERIALIZATION_MODE=json',
  process.execPath,
  '--require', deka.registerPath,
  common.fixtures.path('interop-echo-child.js'),
], {
  stdio: [0, 1, 2, 'ipc'],
  env: { ...process.env, NODE_OPTIONS: '' },
});
assert.ok(!deka.isDekaChannel(child.channel), 'the parent side is Node\'s builtin');

const sent = ['text', 42, false, { nested: ['é', '😀', null] }, ''];
const echoes = [];
child.on('message', common.mustCall((message) => {
  if (message.hello !== undefined) {
    assert.deepStrictEqual(message, { hello: 'deka-ipc', nodeChannelFdSeen: false, dekaChannelFdSeen: false });
    for (const value of sent) child.send(value);
    child.send('bye');
    return;
  }
  echoes.push(message.echo);
}, sent.length + 1));

child.on('disconnect', common.mustCall(() => {
  assert.deepStrictEqual(echoes, sent);
}));
child.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
