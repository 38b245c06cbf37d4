#!/usr/bin/env node
'use strict';
// `npm run bench`: every workload of scripts/bench/workloads.js on deka-ipc and on Node's
// builtin IPC (plus bun / deno when installed), alternating runtimes round by round, then a
// table of medians, the ratio deka-ipc / node, each figure's target and whether it is met.
// No pass/fail exit code for targets: the figures are the output.
//
// Settings: `onecore` runs the whole runtime command under `taskset -c 0` (parent and child share
// one core); `busy` starts one CPU hog per core around the workload's rounds. `startup-preload`
// is timed here, not in workloads.js: `node [-r register.js] scripts/bench/empty.js` under
// bash's `time` (ms resolution) around `/usr/bin/time -f %M` (peak RSS).

const fs = require('fs');
const path = require('path');
const os = require('os');
const { spawn, spawnSync } = require('child_process');
const { defineCli, positiveNumber, runCli } = require('./lib/cli');
const { DENO_ARGS, findBin } = require('./lib/runtime');
const { workloads } = require('./bench/workloads');

const script = path.join(__dirname, 'bench', 'workloads.js');
const empty = path.join(__dirname, 'bench', 'empty.js');
const emptyPreload = path.join(__dirname, 'bench', 'empty-preload.js');
const childProcessPreload = path.join(__dirname, 'bench', 'child-process-preload.js');
const cleanEnv = { ...process.env, NODE_OPTIONS: '' };

const cli = defineCli({
  usage: 'node scripts/bench.js [--quick] [--rounds N] [--only <workload substring>] [--json <file>]',
  intro: 'Every workload on deka-ipc and on Node\'s builtin IPC (and bun / deno when installed), runtimes\nalternating round by round; a table of medians, deka-ipc / node, each target and whether it is met.',
  options: [
    { name: 'quick', type: 'boolean', help: 'fewer messages per workload, one round unless --rounds says otherwise' },
    { name: 'rounds', type: 'string', value: '<n>', help: 'rounds per workload (default 5)' },
    { name: 'only', type: 'string', value: '<s>', help: `only the workloads whose name contains s; of:\n${wrap(Object.keys(workloads).join(', '), 80)}` },
    { name: 'json', type: 'string', value: '<file>', help: 'write every round\'s figures as JSON' },
  ],
  epilogue: 'Needs a build (npm install or npm run build): deka-ipc runs with -r deka-ipc/register (dist/register.js).\nExit code 1 when a run failed; targets missed do not change it.',
});

function wrap(text, width) {
  const lines = [''];
  for (const word of text.split(' ')) {
    if (lines[lines.length - 1].length + word.length + 1 > width) lines.push('');
    lines[lines.length - 1] += (lines[lines.length - 1] ? ' ' : '') + word;
  }
  return lines.join('\n');
}

function parseArgs(argv) {
  const { values } = cli.parse(argv);
  if (values.help) return { help: true };
  const quick = Boolean(values.quick);
  return {
    quick,
    rounds: values.rounds !== undefined ? positiveNumber(values.rounds, '--rounds') : quick ? 1 : 5,
    only: values.only ?? null,
    json: values.json ?? null,
  };
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

const median = (values) => {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function format(value) {
  if (value === undefined) return '—';
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
}

const symbol = { '<=': '≤', '>=': '≥' };

// The target cell and the met? cell of one row.
function judge(target, unit, deka, node) {
  if (!target) return ['', ''];
  const [kind, op, bound] = target;
  const text = kind === 'ratio' ? `${symbol[op]} ${bound}×` : kind === 'delta' ? `${symbol[op]} +${bound} ${unit.split(' ')[0]}` : `${symbol[op]} ${bound}`;
  const figure = kind === 'ratio' ? (node ? deka / node : undefined) : kind === 'delta' ? (node !== undefined && deka !== undefined ? deka - node : undefined) : deka;
  if (figure === undefined || deka === undefined) return [text, '—'];
  const met = op === '<=' ? figure <= bound : figure >= bound;
  return [text, (met ? 'yes' : 'no') + (kind === 'delta' ? ` (${figure >= 0 ? '+' : ''}${figure.toFixed(1)})` : '')];
}

function main(argv) {
  const opts = parseArgs(argv);
  if (opts.help) {
    process.stdout.write(`${cli.help()}\n`);
    return;
  }
  const register = require.resolve('deka-ipc/register');
  const startupPreloads = { register, empty: emptyPreload, 'child_process': childProcessPreload };
  const names = Object.keys(workloads).filter((w) => !opts.only || w.includes(opts.only));
  const rts = runtimes(register);
  const results = {};
  const skipped = {};
  let hogs = [];
  process.on('exit', () => stopHogs(hogs));
  for (const workload of names) {
    const spec = workloads[workload];
    results[workload] = Object.fromEntries(rts.map((rt) => [rt.name, []]));
    skipped[workload] = unavailable(spec);
    if (skipped[workload]) {
      process.stderr.write(`  ${workload}: skipped, ${skipped[workload]}\n`);
      continue;
    }
    if (spec.setting === 'busy') hogs = startHogs();
    const rounds = opts.rounds * (spec.samplesPerRound || 1);
    for (let round = 0; round < rounds; round++) {
      // Alternate which runtime goes first, so drift on the machine hits both alike.
      const order = round % 2 === 0 ? rts : rts.slice().reverse();
      for (const rt of order) {
        const r = runOnce(rt, workload, spec, opts.quick, startupPreloads);
        if (!r) continue;
        results[workload][rt.name].push(r);
        process.stderr.write(`  ${workload} round ${round + 1}/${rounds} ${rt.name}: ${r.error ? r.error : JSON.stringify(r)}\n`);
      }
    }
    stopHogs(hogs);
    hogs = [];
  }

  const header = ['workload', 'unit', ...rts.map((rt) => rt.name), 'deka/node', 'target', 'met?'];
  const rows = [];
  let failures = 0;
  for (const workload of names) {
    const spec = workloads[workload];
    for (const rt of rts) failures += results[workload][rt.name].filter((r) => r.error).length;
    for (const figure of spec.figures) {
      const medians = {};
      for (const rt of rts) {
        const values = results[workload][rt.name].filter((r) => !r.error && r[figure.key] !== undefined).map((r) => r[figure.key]);
        medians[rt.name] = values.length ? median(values) : undefined;
      }
      const deka = medians['deka-ipc'];
      const ratio = deka !== undefined && medians.node ? `${(deka / medians.node).toFixed(2)}×` : '—';
      const [target, met] = judge(figure.target, figure.unit, deka, medians.node);
      rows.push([
        workload + (figure.label ? ` (${figure.label})` : ''),
        figure.unit,
        ...rts.map((rt) => format(medians[rt.name])),
        ratio,
        target,
        skipped[workload] ? `skipped: ${skipped[workload]}` : met,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  console.log(`\nnpm run bench${opts.quick ? ' --quick' : ''}: ${os.cpus().length} × ${os.cpus()[0].model.trim()}, node ${process.version}, ` +
              `${new Date().toISOString().slice(0, 10)}, median of ${opts.rounds} round(s), load average ${os.loadavg()[0].toFixed(1)}`);
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
  console.log('throughput: higher is better, timed in the steady state (half as many messages again go first, untimed); ' +
              'latency, CPU, timer gap, RSS: lower is better.');
  console.log(`onecore: taskset -c 0 on parent and child; busy: ${os.cpus().length} CPU hogs, one per core; ` +
              'startup-preload: node -r deka-ipc/register empty.js vs node empty.js; startup-empty-preload and ' +
              'startup-child-process-preload: the same with an empty -r file and with one that only requires child_process ' +
              '(deka-ipc and node only).');
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(results, null, 2));
  if (failures) {
    console.log(`${failures} run(s) failed (see above)`);
    process.exitCode = 1;
  }
}

runCli('bench', main, { usage: cli.help });
