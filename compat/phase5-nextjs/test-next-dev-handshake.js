// ours: `next dev` forks its server and completes the worker-ready handshake over the runtime's IPC, then serves /; SIGINT ends it all with exit 0
// timeout: 180
'use strict';
require('../common'); // the harness's exit checks
const assert = require('assert');
const next = require('./next-fixture');

(async () => {
  const dir = next.copyApp('dev-handshake');
  const port = await next.freePort();
  const dev = next.startNext(dir, ['dev', '-p', String(port), '-H', '127.0.0.1']);

  const page = await next.waitFor('HTTP 200 on /', async () => {
    const res = await next.get(port);
    return res.status === 200 && res;
  }, 120000, dev);
  assert.match(page.body, /deka-ipc next fixture/);

  const sessions = next.serverSessions(dev.logs.observe);
  assert.strictEqual(sessions.length, 1, 'one server child');
  next.assertHandshake(sessions[0], { dir, port });
  next.assertTraced(dev.logs.trace, { nextWorkerReady: true });
  next.assertTraced(dev.logs.trace, { nextServerReady: true, port: String(port), distDir: sessions[0][2].message.distDir });

  const serverPid = sessions[0][0].pid;
  const exited = next.waitExit(dev, 30000);
  dev.child.kill('SIGINT');
  const { code, signal } = await exited;
  assert.deepStrictEqual({ code, signal }, { code: 0, signal: null }, 'next dev exit on SIGINT');
  // The server child, next's group, and the telemetry flush next detaches on SIGINT.
  await next.assertAllGone('after SIGINT', [dev.child.pid, serverPid], dev.child.pid, 30000, dev, dir);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
