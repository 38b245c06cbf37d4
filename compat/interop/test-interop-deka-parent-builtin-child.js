// ours: a deka-ipc parent and a child on Node's builtin IPC (no preload, so it gets NODE_CHANNEL_FD) talk both ways
'use strict';
const common = require('../common');
const assert = require('assert');
const interop = require('../fixtures/interop');

const child = interop.dekaParentOfBuiltinChild(common.fixtures.path('interop-echo-child.js'));
const sent = ['text', 42, false, { nested: ['é', '😀', null] }, ''];
interop.echoExchange(child, {
  childChannel: 'builtin',
  sent,
  check: (echoes) => assert.deepStrictEqual(echoes, sent),
});
