'use strict';
// Running the bench's programs: each workload under a runtime (scripts/bench/workloads.js, which
// forks itself as the peer), the start-up rows timed from outside, and the CPU hogs of `busy`.

const fs = require('fs');
const path = require('path');
const os = require('os');
const { spawn, spawnSync } = require('child_process');
const { DENO_ARGS, findBin } = require('../lib/runtime');

const script = path.join(__dirname, 'workloads.js');
const empty = path.join(__dirname, 'empty.js');
const cleanEnv = { ...process.env, NODE_OPTIONS: '' };

/** The preloads the start-up rows compare, given ours (what `-r deka-ipc/register` loads). */
function startupPreloads(register) {
  return { register, empty: path.join(__dirname, 'empty-preload.js'), 'child_process': path.join(__dirname, 'child-process-preload.js') };
}

// How each runtime starts the workload program; NODE_OPTIONS is cleared so nothing leaks in.
// `register` is what `-r deka-ipc/register` loads (the package's exports map it to dist/register.js).
function runtimes(register) {
  const list = [
    { name: 'deka-ipc', command: [process.execPath, '--expose-gc', '--require', register, script] },
    { name: 'node', command: [process.execPath, '--expose-gc', script] },
  ];
  const bun = findBin('bun');
  if (bun) list.push({ name: 'bun', command: [bun, script] });
  const deno = findBin('deno');
  if (deno) list.push({ name: 'deno', command: [deno, ...DENO_ARGS, script] });
  return list;
}

// Why a workload cannot run on this machine (null when it can).
function unavailable(spec) {
  if (spec.setting === 'onecore' && !findBin('taskset')) return 'taskset not found';
  if (spec.external === 'startup' && !findBin('bash')) return 'bash not found';
  return null;
}

function parseLastLine(r) {
  const line = (r.stdout || '').trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    return { error: `exit ${r.status}${r.signal ? ' ' + r.signal : ''}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}` };
  }
}

function runOnce(runtime, workload, spec, quick, startupPreloads) {
  if (spec.external === 'startup') return runStartup(runtime, startupPreloads[spec.preload]);
  const prefix = spec.setting === 'onecore' ? ['taskset', '-c', '0'] : [];
  const [file, ...args] = [...prefix, ...runtime.command];
  const r = spawnSync(file, [...args, workload, quick ? '1' : '0'], { encoding: 'utf8', timeout: 300000, env: cleanEnv });
  return parseLastLine(r);
}

// CPU (user + sys, bash's `time` at ms resolution) and peak RSS (GNU time's %M, KiB) of one
// start-up of an empty program, with and without a preload (ours, or a reference file).
// /usr/bin/time's own CPU (well under a millisecond) is counted on both sides alike.
function runStartup(runtime, preload) {
  const args = { 'deka-ipc': ['--require', preload, empty], node: [empty] }[runtime.name];
  if (!args) return null; // bun and deno have no `-r register.js` to compare
  const gnuTime = fs.existsSync('/usr/bin/time');
  const measured = gnuTime ? ['/usr/bin/time', '-f', 'maxrss %M', process.execPath, ...args] : [process.execPath, ...args];
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="cpu %3U %3S"; time "$@"', 'bash', ...measured], { encoding: 'utf8', env: cleanEnv });
  const cpu = /^cpu ([\d.]+) ([\d.]+)$/m.exec(r.stderr || '');
  const rss = /^maxrss (\d+)$/m.exec(r.stderr || '');
  if (r.status !== 0 || !cpu) return { error: `exit ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}` };
  return { cpuMs: Math.round((Number(cpu[1]) + Number(cpu[2])) * 1000), ...(rss ? { peakRssMiB: Number(rss[1]) / 1024 } : {}) };
}

// `busy`: one process per core spinning at normal priority. Each also exits by itself when
// bench.js is gone (its parent changes) or after 10 minutes, so none is ever left behind.
function startHogs() {
  const code = `const p = process.ppid, end = Date.now() + 600000;
    for (let i = 1; ; i++) if ((i & 0xffffff) === 0 && (process.ppid !== p || Date.now() > end)) process.exit();`;
  const hogs = os.cpus().map(() => spawn(process.execPath, ['-e', code], { stdio: 'ignore', env: cleanEnv }));
  sleep(300); // let them reach their loop
  return hogs;
}

function stopHogs(hogs) {
  for (const hog of hogs) hog.kill('SIGKILL');
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}


module.exports = { startupPreloads, runtimes, unavailable, runOnce, startHogs, stopHogs };
