// ours: pm2's cluster mode end to end — `pm2 start app -i 2` (PM2_HOME in a temp dir) serves HTTP from two workers, `pm2 kill` leaves no process behind
// timeout: 120
'use strict';
const common = require('../common');
const assert = require('assert');
const { execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

let pm2Bin;
try {
  pm2Bin = require.resolve('pm2/bin/pm2', { paths: [common.projectRoot] });
} catch {
  common.skip('pm2 is not installed (npm install)');
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-pm2-'));
const app = common.fixtures.path('cluster-http-app.js');

function pm2(...args) {
  return execFileSync(process.execPath, [pm2Bin, ...args], {
    env: { ...process.env, PM2_HOME: home, PORT: String(port) },
    encoding: 'utf8',
    stdio: 'pipe', // pm2's own chatter (and the warnings of the final clean-up kill) stays out of the log
  });
}

function get(callback) {
  http.get({ host: '127.0.0.1', port, agent: false }, (res) => {
    let body = '';
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => callback(res.statusCode, body));
  }).on('error', () => setTimeout(get, 100, callback)); // not listening yet
}

let port;
let daemonPid;
let workerPids = [];

function cleanUp() {
  try {
    pm2('kill');
  } catch {}
  for (const pid of [daemonPid, ...workerPids]) if (pid && common.isAlive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(home, { recursive: true, force: true });
}

const probe = net.createServer().listen(0, '127.0.0.1', common.mustCall(() => {
  port = probe.address().port;
  probe.close(common.mustCall(start));
}));

function start() {
  try {
    pm2('start', app, '-i', '2', '--name', 'deka-cluster-app');
    const list = JSON.parse(pm2('jlist'));
    assert.strictEqual(list.length, 2);
    for (const proc of list) {
      assert.strictEqual(proc.pm2_env.exec_mode, 'cluster_mode');
      assert.strictEqual(proc.pm2_env.status, 'online');
    }
    workerPids = list.map((proc) => proc.pid);
    daemonPid = Number(fs.readFileSync(path.join(home, 'pm2.pid'), 'utf8'));
    assert.ok(common.isAlive(daemonPid));
  } catch (err) {
    cleanUp();
    throw err;
  }
  // Ask until both workers answered: the daemon (cluster primary) hands connections round-robin.
  const servedBy = new Set();
  const answered = common.mustCallAtLeast((status, body) => {
    assert.strictEqual(status, 200);
    assert.ok(workerPids.includes(Number(body)), `${body} is not one of ${workerPids}`);
    servedBy.add(body);
    if (servedBy.size < 2) return get(answered);
    pm2('kill');
    waitAllGone(Date.now());
  }, 2);
  get(answered);
}

// pm2 kill returns once it told the daemon; the daemon and its workers then exit on their own.
function waitAllGone(since) {
  const left = [daemonPid, ...workerPids].filter(common.isAlive);
  if (left.length === 0) {
    // Nothing died noisily on the way out (an unhandled EPIPE in a worker, say).
    const logs = path.join(home, 'logs');
    const errorLogs = fs.readdirSync(logs).filter((name) => name.includes('error'));
    const errors = errorLogs.map((name) => fs.readFileSync(path.join(logs, name), 'utf8')).join('');
    cleanUp();
    assert.strictEqual(errorLogs.length, 2, `one error log per worker: ${errorLogs}`);
    assert.strictEqual(errors, '');
    return;
  }
  if (Date.now() - since > 30000) {
    cleanUp();
    assert.fail(`still alive 30 s after pm2 kill: ${left}`);
  }
  setTimeout(waitAllGone, 100, since);
}
