// ours: advanced mode between a deka-ipc parent and a child on Node's builtin IPC: every kind of value goes there and back intact
'use strict';
const common = require('../common');
const assert = require('assert');
const deka = require(common.projectRoot);
const advancedValues = require('../fixtures/advanced-values');

// NODE_OPTIONS '' keeps our preload out of the child: Node's own IPC answers there, told
// the mode by NODE_CHANNEL_SERIALIZATION_MODE.
const child = deka.spawn(process.execPath, [common.fixtures.path('interop-echo-child.js')], {
  stdio: [0, 1, 2, 'ipc'],
  serialization: 'advanced',
  env: { ...process.env, NODE_OPTIONS: '' },
});
assert.ok(deka.isDekaChannel(child.channel), 'the parent side is deka-ipc');

const sent = advancedValues();
const echoes = [];
child.on('message', common.mustCall((message) => {
  if (message.hello !== undefined) {
    assert.deepStrictEqual(message, { hello: 'builtin', nodeChannelFdSeen: false, dekaChannelFdSeen: false });
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
