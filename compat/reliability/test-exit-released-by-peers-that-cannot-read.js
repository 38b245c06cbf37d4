// ours: peers that cannot read (three stopped by SIGSTOP, three blocked for good in Atomics.wait) release an exit or a disconnect with megabytes queued to them within 2 s, in both directions, rings on and off — the exit flush waits for a peer that runs, not for one that neither reads nor runs
// timeout: 120
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const bound = 2000;
const big = 'x'.repeat(4 * 1024 * 1024);

const [, , role, how] = process.argv;
const block = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);

if (role === 'reader') {
  // Says it is there, then stops reading: blocked for good (or stopped by its parent).
  process.send('ready');
  if (how === 'blocked') block();
  else setInterval(() => {}, 1000);
} else if (role === 'sender-parent') {
  // Forks three readers, queues 16 MiB to each, then exits or disconnects.
  const children = [0, 1, 2].map(() => fork(__filename, ['reader', how.split('-')[0]]));
  let ready = 0;
  for (const child of children) {
    child.on('message', () => {
      if (++ready < children.length) return;
      if (how.startsWith('stopped')) for (const c of children) process.kill(c.pid, 'SIGSTOP');
      for (const c of children) for (let i = 0; i < 4; i++) c.send(big);
      // The clock starts now: what is measured is the release, not the encoding above.
      process.send({ pids: children.map((c) => c.pid) });
      if (how.endsWith('exit')) process.exit(0);
      // The children's process handles would hold the parent until they exit: only the
      // channels' queues may keep it now, and the process ends once the disconnects give up.
      for (const c of children) {
        c.unref();
        c.disconnect();
      }
    });
  }
} else if (role === 'blocked-parent') {
  // The child→parent direction: a parent that never reads again (blocked; also stopped by
  // the test for 'stopped'); its child queues 16 MiB and exits or disconnects.
  const child = fork(__filename, ['sender-child', how]);
  child.once('message', () => {
    // 'go' first: the test may stop this process as soon as it has the pid.
    child.send('go');
    process.send({ pids: [child.pid] });
    block();
  });
} else if (role === 'sender-child') {
  process.send('ready');
  process.on('message', () => {
    for (let i = 0; i < 4; i++) process.send(big);
    if (how === 'exit' || how === 'stopped') process.exit(0);
    process.disconnect();
  });
} else {
  const cases = [];
  for (const shm of ['1', '0']) {
    for (const how of ['stopped-exit', 'blocked-exit', 'stopped-disconnect', 'blocked-disconnect']) {
      cases.push({ shm, how, direction: 'parent→children' });
    }
    for (const how of ['exit', 'disconnect', 'stopped']) cases.push({ shm, how, direction: 'child→parent' });
  }
  const gone = (pid) => {
    try { process.kill(pid, 0); return false; } catch { return true; }
  };
  const run = ({ shm, how, direction }) => new Promise((resolve) => {
    const env = { ...process.env, DEKA_IPC_SHM: shm, DEKA_IPC_EXIT_FLUSH_MS: '3600000' };
    const label = `${direction} ${how}, rings ${shm === '1' ? 'on' : 'off'}`;
    let pids = [];
    let started = 0;
    const cleanUp = () => { for (const pid of pids) try { process.kill(pid, 'SIGKILL'); } catch {} };
    let middleRef;
    const giveUp = setTimeout(() => { cleanUp(); middleRef.kill('SIGKILL'); assert.fail(`${label}: the exit hung`); }, 30000);
    if (direction === 'parent→children') {
      const middle = fork(__filename, ['sender-parent', how], { env });
      middle.on('message', (m) => { pids = m.pids; started = Date.now(); });
      middle.on('exit', (code) => {
        const took = Date.now() - started;
        clearTimeout(giveUp);
        cleanUp();
        console.log(`${label}: released in ${took} ms`);
        assert.strictEqual(code, 0);
        assert.ok(took < bound, `${label}: took ${took} ms`);
        resolve();
      });
      middleRef = middle;
    } else {
      // The parent blocks (or is stopped); the measured exit is its child's.
      const middle = fork(__filename, ['blocked-parent', how], { env });
      middleRef = middle;
      middle.on('message', (m) => {
        pids = m.pids;
        started = Date.now();
        if (how === 'stopped') process.kill(middle.pid, 'SIGSTOP');
        const poll = setInterval(() => {
          if (!gone(pids[0]) && !isZombie(pids[0])) return;
          clearInterval(poll);
          const took = Date.now() - started;
          clearTimeout(giveUp);
          console.log(`${label}: released in ${took} ms`);
          middle.on('exit', () => resolve());
          middle.kill('SIGKILL');
          assert.ok(took < bound, `${label}: took ${took} ms`);
        }, 10);
      });
    }
  });
  (async () => { for (const c of cases) await run(c); })().then(common.mustCall());
}

// A child whose parent is blocked stays a zombie until that parent reaps it: exited all the same.
function isZombie(pid) {
  try {
    return /^\d+ \(.*\) Z/.test(require('fs').readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
