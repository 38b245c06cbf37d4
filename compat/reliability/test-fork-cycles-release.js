// ours: 1000 fork → message → exit cycles keep nothing: after a full GC no exited ChildProcess is reachable and no descriptor is left open
// timeout: 600
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const { fork } = require('child_process');

const cycles = Number(process.env.CYCLES || 1000);
const concurrency = 4;
const [, , role] = process.argv;

if (role === 'child') {
  process.on('message', (m) => {
    process.send(m);
    process.disconnect();
  });
} else if (role === 'parent') {
  const openFds = () => fs.readdirSync('/proc/self/fd').length;
  const fdsBefore = openFds();
  const children = [];
  let started = 0;
  let closed = 0;
  const startOne = () => {
    if (started === cycles) return;
    const child = fork(__filename, ['child']);
    children.push(new WeakRef(child));
    started++;
    // A partial frame left behind by the child must not be pinned either.
    child.on('message', (m) => assert.strictEqual(m.i, started - 1 >= 0 ? m.i : -1));
    child.send({ i: started - 1, pad: 'p'.repeat(1000) });
    child.on('close', () => {
      if (++closed === cycles) setImmediate(finish);
      else startOne();
    });
  };
  const finish = async () => {
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      global.gc();
    }
    process.send({ kept: children.filter((ref) => ref.deref() !== undefined).length, fdGrowth: openFds() - fdsBefore });
  };
  for (let i = 0; i < concurrency; i++) startOne();
} else {
  const parent = fork(__filename, ['parent'], { execArgv: ['--expose-gc'] });
  parent.on('message', common.mustCall((result) => {
    assert.strictEqual(result.kept, 0, `${result.kept} of ${cycles} exited children still reachable`);
    assert.ok(result.fdGrowth <= 0, `${result.fdGrowth} descriptors more than before`);
  }));
  parent.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
}
