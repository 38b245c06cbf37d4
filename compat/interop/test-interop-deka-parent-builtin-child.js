// ours: a deka-ipc parent and a child on Node's builtin IPC (no preload, so it gets NODE_CHANNEL_FD) talk both ways
'use strict';
const common = require('../common');
const assert = require('assert');
const deka = require(common.projectRoot);

// NODE_OPTIONS '' keeps our preload out of the child: Node's own IPC answers there.
const child = deka.spawn(process.execPath, [common.fixtures.path('interop-echo-child.js')], {
  stdio: [0, 1, 2, 'ipc'],
  env: { ...process.env, NODE_OPTIONS: '' },
});
assert.ok(deka.isDekaChannel(child.channel), 'the parent side is deka-ipc');

const sent = ['text', 42, false, { nested: ['é', '😀', null] }, ''];
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
  assert.deepStrictEqual(echoes, sent);
}));
child.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
