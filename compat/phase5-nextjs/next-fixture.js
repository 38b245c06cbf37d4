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
const nextBin = require.resolve('next/dist/bin/next', { paths: [common.projectRoot] });
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

/** Polls until `check()` returns a truthy value, or fails after `ms`. */
async function waitFor(what, check, ms, next) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
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

/** What the server children (start-server.js) sent and received, per pid, in order. */
function serverSessions(observeFile) {
  const sessions = new Map();
  for (const entry of readLines(observeFile)) {
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

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

module.exports = {
  runtime, copyApp, freePort, startNext, get, waitFor, readLines, serverSessions,
  assertHandshake, assertTraced, isAlive,
};
