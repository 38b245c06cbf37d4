// ours: a next.config.js change makes `next dev`'s server child exit 77 and the parent fork a new one; the handshake repeats on the runtime's IPC, / serves again, SIGINT ends it all with 0
// timeout: 240
'use strict';
// What next 16.4.6 does (node_modules/next/dist/server/lib/start-server.js, cli/next-dev.js):
// the server child watches the CONFIG_FILES with Watchpack; on a change it logs "Found a change
// in next.config.js. Restarting the server..." and calls process.exit(77) (RESTART_EXIT_CODE).
// The parent's 'exit' listener for that child sees code 77 and calls startServer() again with
// the same port: a new fork, the same nextWorkerReady -> nextWorkerOptions -> nextServerReady
// handshake. Any other exit code ends the session (the parent exits). On SIGINT the parent
// sends SIGINT to the current child, waits for its exit (SIGKILL after NEXT_EXIT_TIMEOUT_MS,
// 100 ms) and exits 0 (a child that last exited 77 counts as 0 too).
require('../common');
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const next = require('./next-fixture');

const ms = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

(async () => {
  const t0 = Date.now();
  const dir = next.copyApp('dev-restart');
  const port = await next.freePort();
  const dev = next.startNext(dir, ['dev', '-p', String(port), '-H', '127.0.0.1']);
  next.deadline(220000, dev);
  const exited = next.waitExit(dev, 220000);
  exited.catch(() => {}); // awaited below; until then a rejection must not count as unhandled

  // 1. first server: handshake, then 200 on /
  const first = await next.waitFor('HTTP 200 on / (first server) and its nextServerReady', async () => {
    const res = await next.get(port);
    const s = next.serverSessions(dev.logs.observe);
    return res.status === 200 && s.length === 1 && s[0].length >= 3 && res;
  }, 120000, dev, { whileRunning: true });
  assert.match(first.body, /deka-ipc next fixture/);
  let sessions = next.serverSessions(dev.logs.observe);
  assert.strictEqual(sessions.length, 1, 'one server child before the config change');
  next.assertHandshake(sessions[0], { dir, port });
  const firstPid = sessions[0][0].pid;
  assert.strictEqual(sessions[0][0].ppid, dev.child.pid, 'the server child is the next CLI\'s child');
  console.log(`first handshake + 200 after ${ms(t0)} (server pid ${firstPid})`);

  // 2. change next.config.js -> the server child exits 77, the parent forks a new one
  const config = path.join(dir, 'next.config.js');
  const source = fs.readFileSync(config, 'utf8');
  assert.match(source, /const RESTART_MARKER = 0;/);
  fs.writeFileSync(config, source.replace('const RESTART_MARKER = 0;', 'const RESTART_MARKER = 1;'));
  const tChange = Date.now();

  sessions = await next.waitFor('a second server child to complete its handshake', async () => {
    const s = next.serverSessions(dev.logs.observe);
    return s.length >= 2 && s[1].length >= 3 && s;
  }, 120000, dev, { whileRunning: true });
  assert.strictEqual(sessions.length, 2, 'exactly one restart');
  const secondPid = sessions[1][0].pid;
  assert.notStrictEqual(secondPid, firstPid, 'the restart is a new process');
  assert.strictEqual(sessions[1][0].ppid, dev.child.pid, 'forked by the same next CLI');
  next.assertHandshake(sessions[1], { dir, port }); // same port, runtime's channel
  // The first child ended through process.exit(77), recorded by the observer's 'exit' hook.
  assert.strictEqual(next.observedExits(dev.logs.observe).get(firstPid), 77, 'first server child exit code');
  assert.match(dev.output(), /Found a change in next\.config\.js\. Restarting the server/);
  assert.strictEqual(dev.child.exitCode, null, 'the next CLI keeps running across the restart');
  await next.waitFor('the first server child to be gone', async () => !next.isLive(firstPid), 10000, dev);

  const again = await next.waitFor('HTTP 200 on / (second server)', async () => {
    const res = await next.get(port);
    return res.status === 200 && res;
  }, 120000, dev, { whileRunning: true });
  assert.match(again.body, /deka-ipc next fixture/);
  console.log(`restart handshake + 200 ${ms(tChange)} after the change (server pid ${secondPid})`);

  // Both handshakes crossed our channel (under deka-ipc): each frame left one side, reached the other.
  next.assertTracedEntries(dev.logs.trace, sessions.flat());

  // 3. SIGINT to the CLI: exit 0, nothing left
  const tStop = Date.now();
  dev.child.kill('SIGINT');
  const { code, signal } = await exited;
  assert.deepStrictEqual({ code, signal }, { code: 0, signal: null }, 'next dev exit on SIGINT');
  // next's detached telemetry flush (started on SIGINT, outside the group) included: 30 s.
  await next.assertAllGone('after SIGINT', [dev.child.pid, firstPid, secondPid], dev.child.pid, 30000, dev, dir);
  // No other IPC child showed up anywhere, and none is left either.
  const pids = [...new Set(next.observed(dev.logs.observe).map((e) => e.pid))].sort();
  assert.deepStrictEqual(pids, [firstPid, secondPid].sort(), 'observed IPC children');
  console.log(`stopped ${ms(tStop)} after SIGINT; total ${ms(t0)}`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
