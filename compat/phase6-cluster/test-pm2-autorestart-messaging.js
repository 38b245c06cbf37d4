// ours: real pm2 with autorestart — an app that crashes on request is brought back by pm2, then `pm2 restart`; pm2's sendDataToProcessId reaches every new instance over its IPC channel, in order
// timeout: 120
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');

let pm2Path;
try {
  pm2Path = require.resolve('pm2', { paths: [common.projectRoot] });
} catch {
  common.skip('pm2 is not installed (npm install)');
}

const kCrashes = 4; // autorestarts, then one `pm2 restart`
const kPerInstance = 3; // messages each instance must get

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-pm2-'));
const log = path.join(home, 'app.log');
process.env.PM2_HOME = home; // read when pm2 is loaded
const pm2 = require(pm2Path);
const name = 'deka-restart-app';
const expectDeka = process.env.DEKA_COMPAT_RUNTIME === 'deka-ipc';

const call = (method, ...args) => new Promise((resolve, reject) =>
  pm2[method](...args, (err, result) => (err ? reject(err) : resolve(result))));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The app's log lines so far, as { pid, what, channel }. */
function lines() {
  const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
  return text.split('\n').filter(Boolean).map((line) => {
    const [pid, what, channel] = line.split(' ');
    return { pid: Number(pid), what, channel };
  });
}

async function until(what, check) {
  const since = Date.now();
  for (;;) {
    const result = check();
    if (result) return result;
    if (Date.now() - since > 30000) throw new Error(`30 s waiting for ${what}; log: ${JSON.stringify(lines())}`);
    await sleep(50);
  }
}

/** The app's next process, once it has said it is up: a pid not in `seen`. */
async function newInstance(seen) {
  return until(`an instance other than ${[...seen]}`, () => lines().find((l) => l.what === 'up' && !seen.has(l.pid)));
}

let n = 0;
async function exchange(instance, pmId) {
  const first = n;
  for (let i = 0; i < kPerInstance; i++) {
    await call('sendDataToProcessId', pmId, { type: 'process:msg', topic: 'deka-test', data: { n: n++ } });
  }
  const got = await until(`${kPerInstance} messages in ${instance.pid}`, () => {
    const mine = lines().filter((l) => l.pid === instance.pid && l.what !== 'up');
    return mine.length === kPerInstance ? mine : null;
  });
  assert.deepStrictEqual(got.map((l) => Number(l.what)), Array.from({ length: kPerInstance }, (_, i) => first + i),
                         `instance ${instance.pid} got every message, in order`);
  if (expectDeka) assert.strictEqual(instance.channel, 'deka', `instance ${instance.pid} runs on deka-ipc's channel`);
}

async function main() {
  await call('connect');
  const pids = new Set();
  try {
    await call('start', {
      script: common.fixtures.path('pm2-message-app.js'),
      name,
      autorestart: true,
      min_uptime: 100, // an instance that lived this long restarts as a stable one
      max_restarts: 100,
      env: { LOG: log, DEKA_PACKAGE: common.projectRoot },
    });
    const [desc] = await call('describe', name);
    const pmId = desc.pm_id;
    let instance = await newInstance(pids);
    for (let crash = 0; crash <= kCrashes; crash++) {
      pids.add(instance.pid);
      await exchange(instance, pmId);
      if (crash < kCrashes) {
        await sleep(150); // past min_uptime
        await call('sendDataToProcessId', pmId, { type: 'process:msg', topic: 'deka-test', data: { crash: true } });
      } else {
        await call('restart', name);
      }
      instance = await newInstance(pids);
    }
    pids.add(instance.pid);
    await exchange(instance, pmId);
    const [after] = await call('describe', name);
    assert.strictEqual(after.pm2_env.status, 'online');
    assert.strictEqual(after.pm2_env.restart_time, kCrashes + 1, 'pm2 counted each autorestart and the restart');
    assert.strictEqual(pids.size, kCrashes + 2, 'each restart is a new process');
  } finally {
    await call('killDaemon').catch(() => {});
    pm2.disconnect();
  }
  // Every instance is gone once the daemon is.
  await until('every instance to exit', () => [...pids].every((pid) => !common.isAlive(pid)));
  fs.rmSync(home, { recursive: true, force: true });
}

// pm2's API client leaves this process's loop held after disconnect() on some runtimes (seen on
// Node's builtin IPC: nothing but the stdio pipes listed as active); every check is done by now.
main().then(common.mustCall(() => process.exit()), (err) => {
  console.error(err);
  process.exit(1);
});
