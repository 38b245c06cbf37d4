// ours: a process that exits with large messages queued to three children that stopped reading exits anyway — however long the exit flush is allowed to take in all, it ends once no peer takes bytes
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const [, , role] = process.argv;
if (role === 'stuck') {
  process.send('stuck');
  // Never reads again (blocked, without burning a core the others need).
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
} else if (role === 'middle') {
  const children = [0, 1, 2].map(() => fork(__filename, ['stuck']));
  let ready = 0;
  for (const child of children) {
    child.on('message', () => {
      if (++ready < children.length) return;
      process.send({ pids: children.map((c) => c.pid) });
      // Far more than a socket buffer holds: most of it stays queued.
      for (const c of children) for (let i = 0; i < 4; i++) c.send('x'.repeat(4 * 1024 * 1024));
      process.exit(0);
    });
  }
} else {
  // An exit flush allowed an hour: only noticing that the peers stopped can end it.
  const middle = fork(__filename, ['middle'], { env: { ...process.env, DEKA_IPC_EXIT_FLUSH_MS: '3600000' } });
  let pids = [];
  middle.on('message', common.mustCall((m) => (pids = m.pids)));
  middle.on('exit', common.mustCall((code) => {
    clearTimeout(giveUp);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    assert.strictEqual(code, 0);
    assert.strictEqual(pids.length, 3);
  }));
  const giveUp = setTimeout(() => {
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    middle.kill('SIGKILL');
    assert.fail('the exit hung on peers that stopped reading');
  }, 40000);
}
