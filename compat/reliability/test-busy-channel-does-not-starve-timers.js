// ours: a child flooding the channel with small messages for a second does not starve the parent's timers
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  // As fast as the channel takes them, for one second, then a last word.
  const until = Date.now() + 1000;
  const burst = () => {
    while (Date.now() < until) {
      if (!process.send('x'.repeat(32))) return setImmediate(burst);
    }
    process.send('done', () => process.disconnect());
  };
  burst();
} else {
  const child = fork(__filename, ['child']);
  let ticks = 0;
  let messages = 0;
  const timer = setInterval(() => ticks++, 10);
  child.on('message', (m) => {
    messages++;
    if (m !== 'done') return;
    clearInterval(timer);
    // ~100 ticks if the loop were idle; a starved loop would see a handful.
    assert.ok(ticks >= 40, `only ${ticks} timer ticks while ${messages} messages arrived`);
    assert.ok(messages > 1000, `only ${messages} messages`);
  });
  child.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
}
