// ours: advanced mode between Node's builtin parent and a child on deka-ipc (channel handed over in DEKA_CHANNEL_FD): every kind of value goes there and back intact
'use strict';
const common = require('../common');
const interop = require('../fixtures/interop');
const advancedValues = require('../fixtures/advanced-values');

const child = interop.builtinParentOfDekaChild(common.fixtures.path('interop-echo-child.js'), { serialization: 'advanced' });
const sent = advancedValues();
interop.echoExchange(child, {
  childChannel: 'deka-ipc',
  sent,
  check: (echoes) => advancedValues.checkEchoes(sent, echoes),
});
