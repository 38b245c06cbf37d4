// ours: advanced mode between Node's builtin parent and a child on deka-ipc (channel handed over in DEKA_CHANNEL_FD): every kind of value goes there and back intact
'use strict';
const common = require('../common');
const assert = require('assert');
const deka = require(common.projectRoot);
const advancedValues = require('../fixtures/advanced-values');

// The runtime's own spawn, even when our preload has replaced child_process.spawn. Node
// hands the channel over as NODE_CHANNEL_FD=3 and would claim it before any preload runs,
// so env(1) moves it, with the mode, to our variables and the child's preload takes it.
const child = deka.builtin.spawn('/usr/bin/env', [
  '-u', 'NODE_CHANNEL_FD',
  '-u', 'NODE_CHANNEL_SERIALIZATION_MODE',
  'DEKA_CHANNEL_FD=3',
  'DEKA_CHANNEL_SERIALIZATION_MODE=advanced',
  process.execPath,
  '--require', deka.registerPath,
  common.fixtures.path('interop-echo-child.js'),
], {
  stdio: [0, 1, 2, 'ipc'],
  serialization: 'advanced',
  env: { ...process.env, NODE_OPTIONS: '' },
});
assert.ok(!deka.isDekaChannel(child.channel), 'the parent side is Node\'s builtin');

const sent = advancedValues();
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
  assert.strictEqual(echoes.length, sent.length);
  sent.forEach((value, i) => {
    assert.deepStrictEqual(echoes[i], value, `value ${i}`);
    if (value !== null && typeof value === 'object') {
      assert.strictEqual(Object.getPrototypeOf(echoes[i]), Object.getPrototypeOf(value), `value ${i}: prototype`);
    }
  });
  const cycle = echoes[sent.findIndex((v) => v && v.name === 'circular')];
  assert.strictEqual(cycle.self, cycle);
  assert.strictEqual(cycle.list[0], cycle);
}));
child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));
