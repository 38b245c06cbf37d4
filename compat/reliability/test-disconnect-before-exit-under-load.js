// beyond: a child that sends a message and exits with its channel open gives its parent 'disconnect' before 'exit', every time, with 8 children at a time and both cores busy, rings on and off, json and advanced — cluster and process managers rely on the channel closing first; Node's builtin reorders them under this load too (failed on Node 20 and 26 in CI)
// timeout: 300
'use strict';
const common = require('../common');
const assert = require('assert');
const os = require('os');
const { fork, spawn } = require('child_process');

const perSetting = Number(process.env.DEKA_TEST_CHILDREN || 24); // 250 for the 1,000
const atOnce = 8;

if (process.argv[2] === 'child') {
  process.send({ hello: 'x'.repeat(100) });
  process.exit(0);
} else {
  const hogs = os.cpus().map(() => spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }));
  const stopHogs = () => { for (const hog of hogs) hog.kill('SIGKILL'); };
  process.on('exit', stopHogs);

  const one = (env, serialization) => new Promise((resolve) => {
    const child = fork(__filename, ['child'], { env, serialization });
    const events = [];
    child.on('message', () => events.push('message'));
    child.on('disconnect', () => events.push('disconnect'));
    child.on('exit', (code) => events.push(`exit ${code}`));
    child.on('close', () => resolve(events.join(',')));
  });

  const settings = [];
  for (const shm of ['1', '0']) {
    for (const serialization of ['json', 'advanced']) settings.push({ shm, serialization });
  }
  (async () => {
    for (const { shm, serialization } of settings) {
      const env = { ...process.env, DEKA_IPC_SHM: shm };
      const outcomes = [];
      let running = [];
      for (let i = 0; i < perSetting; i++) {
        const p = one(env, serialization).then((o) => {
          outcomes.push(o);
          running = running.filter((r) => r !== p);
        });
        running.push(p);
        if (running.length >= atOnce) await Promise.race(running);
      }
      await Promise.all(running);
      const wrong = outcomes.filter((o) => o !== 'message,disconnect,exit 0');
      console.log(`rings ${shm === '1' ? 'on' : 'off'}, ${serialization}: ${wrong.length} of ${outcomes.length} out of order` +
        (wrong.length ? ` (${[...new Set(wrong)].join(' | ')})` : ''));
      assert.strictEqual(wrong.length, 0);
    }
  })().finally(stopHogs).then(common.mustCall());
}
