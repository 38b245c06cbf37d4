'use strict';
// Small process and network helpers of repro:next: waiting, polling, a free port, a GET, the
// live members of a process group and the processes working in a folder (from /proc).

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { liveProcesses, groupMembers } = require('../lib/processes');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `promise`, or undefined after `ms` — without a timer left to hold the process. */
function within(promise, ms) {
  let timer;
  const timeout = new Promise((r) => {
    timer = setTimeout(r, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function readLines(file) {
  if (!fs.existsSync(file)) return [];
  const out = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a line cut by a process killed mid-write: nothing to compare in it
    }
  }
  return out;
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

function get(port, pathname) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', (err) => resolve(err.code || err.message));
    req.setTimeout(30000, () => req.destroy(new Error('request timed out')));
  });
}

/** Polls `check` until it returns a truthy value (returned) or `ms` pass (null). */
async function poll(check, ms, alive) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline || (alive && !alive())) return null;
    await sleep(250);
  }
}

/**
 * Live processes working in `dir` (cwd inside it, or it on their command line), as { pid, comm }:
 * what next started there outside its process group, like the telemetry flush the dev CLI
 * spawns `detached` on SIGINT (next/dist/telemetry/detached-flush.js), which ends by itself.
 */
function processesIn(dir) {
  const out = [];
  for (const p of liveProcesses() || []) {
    if (p.pid === process.pid) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${p.pid}/cwd`);
      const argv = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0');
      if (cwd === dir || cwd.startsWith(dir + path.sep) || argv.some((a) => a.includes(dir))) {
        const script = argv.slice(1).find((a) => /\.[cm]?[jt]s$/.test(a));
        out.push({ pid: p.pid, comm: script ? path.basename(script) : p.comm });
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

module.exports = { sleep, within, readLines, freePort, get, poll, groupMembers, processesIn };
