// ours: a child whose parent was killed while awake, with the parent's last messages still being read, gets from every send after the next loop turn an error through its callback (EPIPE while the end is not yet read, ERR_IPC_CHANNEL_CLOSED after), or 'error' without one — never reported as written, never thrown; rings on and off
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const { fork, spawn } = require('child_process');

const expected = ['EPIPE', 'ECONNRESET', 'ERR_IPC_CHANNEL_CLOSED'];
// Dead, with its descriptors closed: the process is a zombie and none of its threads is left
// but the leader. (The leader turns zombie first while Node's other threads still exit, and
// the descriptors close with the last of them: a zombie leader alone let a send through, on
// Node 26 in CI.) Fields after the command's ')': state is the 1st, num_threads the 18th.
const gone = (pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return /^[ZX]$/.test(fields[0]) && fields[17] === '1';
  } catch {
    return true;
  }
};

const role = process.argv[2];
if (role === 'middle') {
  // The peer that dies: sends its last messages and is killed while awake, reading.
  const child = fork(__filename, ['child'], { stdio: 'inherit' });
  child.on('message', () => {
    for (let i = 0; i < 300; i++) child.send({ i, body: 'y'.repeat(4000) });
    process.kill(process.pid, 'SIGKILL');
  });
} else if (role === 'child') {
  const parent = process.ppid;
  const outcomes = [];
  let errorEvents = 0;
  let received = 0;
  process.on('error', (err) => {
    errorEvents++;
    outcomes.push(`'error' ${err.code}`);
  });
  process.on('message', () => {
    received++;
    // A slow listener: the parent's last messages are read over many turns of the loop.
    const until = Date.now() + 2;
    while (Date.now() < until);
    if (received > 1) return;
    // The death is observable before anything below is sent.
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (!gone(parent)) Atomics.wait(sleeper, 0, 0, 5);
    // The next turn's poll (this handler may run in this turn's): from then on no send may succeed.
    setImmediate(() => setImmediate(() => {
      let sent = 0;
      const sendOne = () => {
        if (sent === 20) {
          process.send({ last: true }); // no callback: 'error'
          return setTimeout(() => console.log(JSON.stringify({ received, outcomes, errorEvents })), 100);
        }
        sent++;
        try {
          process.send({ sent }, (err) => outcomes.push(err ? err.code : 'written'));
        } catch (err) {
          outcomes.push(`thrown ${err.code}`);
        }
        setImmediate(sendOne);
      };
      sendOne();
    }));
  });
  process.send('ready');
} else {
  const runOne = (shm) => new Promise((resolve) => {
    const middle = spawn(process.execPath, [__filename, 'middle'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DEKA_IPC_SHM: shm },
    });
    let output = '';
    middle.stdout.setEncoding('utf8');
    middle.stdout.on('data', (d) => { output += d; });
    middle.stdout.on('end', () => {
      const { received, outcomes, errorEvents } = JSON.parse(output);
      const tally = outcomes.reduce((m, o) => ((m[o] = (m[o] || 0) + 1), m), {});
      console.log(`rings ${shm === '1' ? 'on' : 'off'}: ${received} received, sends after the death: ${JSON.stringify(tally)}`);
      assert.strictEqual(outcomes.length, 21);
      for (const o of outcomes) assert.ok(expected.includes(o.replace(/^'error' /, '')), `a send to a dead peer: ${o}`);
      assert.strictEqual(errorEvents, 1);
      resolve();
    });
  });
  (async () => {
    await runOne('1');
    await runOne('0');
  })().then(common.mustCall());
}
