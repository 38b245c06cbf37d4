// Shared by the phase 5 cases: a private copy of the fixture app, a `next` process started
// under the compat runtime with the IPC observer preloaded, and the helpers to wait for it,
// read what crossed its channels and stop it. Not a case itself (no test- prefix).
'use strict';
const assert = require('assert');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');
const { spawn } = require('child_process');
const common = require('../common');

const fixtureApp = path.join(__dirname, 'app');
// The app is copied next to this file (so that next, react and react-dom resolve from the
// package's node_modules, and Turbopack finds them inside the project's root): in an installed
// package that would write into node_modules/deka-ipc, so these cases run from a clone only.
if (/[\\/]node_modules[\\/]/.test(common.projectRoot)) {
  common.skip('the Next.js cases build a copy of their app inside the package folder: they run from a clone of deka-ipc (npm run compat)');
}
let nextBin;
try {
  nextBin = require.resolve('next/dist/bin/next', { paths: [common.projectRoot] });
  require.resolve('react', { paths: [common.projectRoot] });
} catch {
  common.skip('next is not installed (the Next.js cases need next, react and react-dom)');
}
const observer = common.fixtures.path('ipc-observer.js');

/** The runtime answering child_process here: the runner says; by hand, NODE_OPTIONS tells. */
function runtime() {
  if (process.env.DEKA_COMPAT_RUNTIME) return process.env.DEKA_COMPAT_RUNTIME;
  return /register\.js/.test(process.env.NODE_OPTIONS || '') ? 'deka-ipc' : 'node';
}

/** A copy of the app inside the repository (so `next` resolves from its node_modules). */
function copyApp(name) {
  const dir = path.join(__dirname, '.compat-tmp', `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(fixtureApp, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.next`) });
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `next <args>` in `dir`; its children inherit the observer through NODE_OPTIONS. */
function startNext(dir, args) {
  const logs = { observe: path.join(dir, 'observe.jsonl'), trace: path.join(dir, 'trace.jsonl') };
  const nodeOptions = [process.env.NODE_OPTIONS, `--require=${observer}`].filter(Boolean).join(' ');
  const child = spawn(process.execPath, [nextBin, ...args], {
    cwd: dir,
    detached: true, // its own process group, so a failure can take every descendant down
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_OPTIONS: nodeOptions,
      NEXT_TELEMETRY_DISABLED: '1',
      DEKA_COMPAT_OBSERVE: logs.observe,
      DEKA_IPC_TRACE: logs.trace,
    },
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const killGroup = () => {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  };
  process.on('exit', killGroup);
  return { child, logs, output: () => output, killGroup };
}

/**
 * Fails the case after `ms` whatever it is waiting for. The runner ends a case that outlives
 * its timeout with SIGKILL, which runs no 'exit' handler: next, in its own process group,
 * would survive it. A case that gives up by itself goes through process.exit, whose handlers
 * take next's group down. Keep `ms` below the case's "// timeout:".
 */
function deadline(ms, proc) {
  setTimeout(() => {
    console.error(`case deadline of ${ms / 1000}s exceeded${proc ? `\n--- next output ---\n${proc.output()}` : ''}`);
    process.exit(1);
  }, ms).unref();
}

function get(port, pathname = '/') {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.setTimeout(30000, () => req.destroy(new Error('request timed out')));
  });
}

/**
 * Polls until `check()` returns a truthy value, or fails after `ms` — or, with
 * `{ whileRunning: true }`, as soon as the `next` process has exited.
 */
async function waitFor(what, check, ms, next, { whileRunning = false } = {}) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    const { exitCode, signalCode } = next ? next.child : {};
    if (whileRunning && next && (exitCode !== null || signalCode !== null)) {
      assert.fail(`next exited (code ${exitCode}, signal ${signalCode}) while waiting for ${what}\n--- next output ---\n${next.output()}`);
    }
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${ms} ms waiting for ${what}\n--- next output ---\n${next ? next.output() : ''}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function readLines(file) {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** The observer's message entries (in/out), without its exit records. */
function observed(observeFile) {
  return readLines(observeFile).filter((e) => e.direction === 'in' || e.direction === 'out');
}

/** pid -> exit code, for the observed children that ended through process 'exit'. */
function observedExits(observeFile) {
  const exits = new Map();
  for (const e of readLines(observeFile)) if (e.event === 'exit') exits.set(e.pid, e.code);
  return exits;
}

/** What the server children (start-server.js) sent and received, per pid, in order. */
function serverSessions(observeFile) {
  const sessions = new Map();
  for (const entry of observed(observeFile)) {
    if (!/start-server\.js$/.test(entry.script || '')) continue;
    if (!sessions.has(entry.pid)) sessions.set(entry.pid, []);
    sessions.get(entry.pid).push(entry);
  }
  return [...sessions.values()];
}

/**
 * Checks one server child's handshake: ready → options → server ready, on the channel
 * the runtime should have given it (ours under deka-ipc, Node's under node).
 */
function assertHandshake(session, { dir, port }) {
  const kinds = new Set(session.map((e) => e.channel));
  assert.deepStrictEqual([...kinds], [runtime() === 'deka-ipc' ? 'deka-ipc' : 'builtin'], 'channel implementation');
  const [ready, options, serverReady] = session.slice(0, 3);
  assert.deepStrictEqual([ready.direction, ready.message], ['out', { nextWorkerReady: true }]);
  assert.strictEqual(options.direction, 'in');
  const worker = options.message.nextWorkerOptions;
  assert.strictEqual(worker.dir, dir);
  assert.strictEqual(worker.port, port);
  assert.strictEqual(worker.isDev, true);
  assert.strictEqual(serverReady.direction, 'out');
  assert.strictEqual(serverReady.message.nextServerReady, true);
  assert.strictEqual(serverReady.message.port, String(port));
  assert.strictEqual(typeof serverReady.message.distDir, 'string');
}

/** Under deka-ipc the trace must show the same frames leaving one side and reaching the other. */
function assertTraced(traceFile, message) {
  if (runtime() !== 'deka-ipc') return;
  const frames = readLines(traceFile).filter((f) => JSON.stringify(f.message) === JSON.stringify(message));
  const directions = frames.map((f) => f.direction).sort();
  assert.ok(directions.includes('out') && directions.includes('in'),
            `trace shows ${JSON.stringify(message)} sent and received on our channel`);
}

/**
 * Under deka-ipc, every message the observer saw a child send or receive must be in the trace
 * twice: at the child in the same direction and at its parent (ppid) in the other one — so it
 * really crossed our channel, and nothing the child saw was invented or lost on the way.
 * Frames over the trace's 64 KiB limit carry only a 1 KiB preview; those match on it.
 */
function assertTracedEntries(traceFile, entries) {
  if (runtime() !== 'deka-ipc') return;
  const frames = new Map(); // "pid direction text" -> count
  const key = (pid, direction, text) => `${pid} ${direction} ${text}`;
  for (const f of readLines(traceFile)) {
    const text = 'preview' in f ? `preview:${f.preview}` : JSON.stringify(f.message);
    const k = key(f.pid, f.direction, text);
    frames.set(k, (frames.get(k) || 0) + 1);
  }
  const wanted = new Map();
  for (const e of entries) {
    let text = JSON.stringify(e.message);
    if (text.length > 64 * 1024) text = `preview:${text.slice(0, 1024)}`;
    const other = e.direction === 'in' ? 'out' : 'in';
    for (const k of [key(e.pid, e.direction, text), key(e.ppid, other, text)]) wanted.set(k, (wanted.get(k) || 0) + 1);
  }
  for (const [k, n] of wanted) {
    const have = frames.get(k) || 0;
    assert.ok(have >= n, `trace holds ${n}x "${k.slice(0, 300)}" (has ${have})`);
  }
}

const { isAlive } = common;

/** The state letter of /proc/<pid>/stat, or null when the process is gone. */
function procState(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * Running (not a zombie)? A child that outlived its parent is reparented to pid 1, which on
 * some machines never reaps it: such a zombie has ended and counts as gone.
 */
function isLive(pid) {
  if (!fs.existsSync('/proc/self/stat')) return isAlive(pid);
  const f = procState(pid);
  return f !== null && f[0] !== 'Z' && f[0] !== 'X';
}

/** Live (non-zombie) pids of process group `pgid`. */
function groupMembers(pgid) {
  if (!fs.existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return [-pgid];
    } catch {
      return [];
    }
  }
  const live = [];
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const f = procState(p);
    if (f && Number(f[2]) === pgid && f[0] !== 'Z' && f[0] !== 'X') live.push(Number(p));
  }
  return live;
}

/**
 * Live processes working in `dir` (cwd inside it, or it on their command line), this one
 * excepted: whatever next started there, in its group or not. next's telemetry flush
 * (next/dist/telemetry/detached-flush.js) is spawned `detached` by the dev CLI on SIGINT even
 * with NEXT_TELEMETRY_DISABLED, so it escapes a process-group check; it runs in the copy and
 * ends by itself within seconds.
 */
function processesIn(dir) {
  if (!fs.existsSync('/proc/self/stat')) return [];
  const found = [];
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    const f = procState(p);
    if (!f || f[0] === 'Z' || f[0] === 'X') continue;
    let cwd = '';
    let cmdline = '';
    try {
      cwd = fs.readlinkSync(`/proc/${p}/cwd`);
      cmdline = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    if (cwd === dir || cwd.startsWith(dir + path.sep) || cmdline.includes(dir)) found.push({ pid: Number(p), cmdline });
  }
  return found;
}

/** Resolves with { code, signal } when `child` exits; fails after `ms`. */
function waitExit(proc, ms) {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`next did not exit within ${ms} ms\n--- next output ---\n${proc.output()}`));
    }, ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/**
 * Waits until none of `pids` runs any more, the group of `pgid` is empty and (with `dir`)
 * no process works in the app copy any more.
 */
async function assertAllGone(what, pids, pgid, ms, proc, dir) {
  await waitFor(`${what}: every process gone`, async () => {
    return pids.every((p) => !isLive(p)) && groupMembers(pgid).length === 0 && (!dir || processesIn(dir).length === 0);
  }, ms, proc).catch((err) => {
    const left = [...new Set([...pids.filter(isLive), ...groupMembers(pgid)])];
    err.message += `\nstill running: ${left.map((p) => `${p} ${procState(p) ? procState(p)[0] : '?'}`).join(', ')}`;
    if (dir) err.message += `\nworking in ${dir}: ${processesIn(dir).map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`;
    throw err;
  });
}

module.exports = {
  runtime, copyApp, freePort, startNext, deadline, get, waitFor, readLines, observed, observedExits,
  serverSessions, assertHandshake, assertTraced, assertTracedEntries, isAlive, isLive,
  groupMembers, processesIn, waitExit, assertAllGone,
};
