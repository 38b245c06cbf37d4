// ours: Node's builtin parent and a child on deka-ipc (channel fd handed over in DEKA_CHANNEL_FD) talk both ways
'use strict';
const common = require('../common');
const assert = require('assert');
const interop = require('../fixtures/interop');

const child = interop.builtinParentOfDekaChild(common.fixtures.path('interop-echo-child.js'));
const sent = ['text', 42, false, { nested: ['é', '😀', null] }, ''];
interop.echoExchange(child, {
  childChannel: 'deka-ipc',
  sent,
  check: (echoes) => assert.deepStrictEqual(echoes, sent),
});
