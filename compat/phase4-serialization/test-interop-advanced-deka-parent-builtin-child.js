// ours: advanced mode between a deka-ipc parent and a child on Node's builtin IPC: every kind of value goes there and back intact
'use strict';
const common = require('../common');
const interop = require('../fixtures/interop');
const advancedValues = require('../fixtures/advanced-values');

// Node's child is told the mode by NODE_CHANNEL_SERIALIZATION_MODE.
const child = interop.dekaParentOfBuiltinChild(common.fixtures.path('interop-echo-child.js'), { serialization: 'advanced' });
const sent = advancedValues();
interop.echoExchange(child, {
  childChannel: 'builtin',
  sent,
  check: (echoes) => advancedValues.checkEchoes(sent, echoes),
});
