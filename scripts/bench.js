#!/usr/bin/env node
'use strict';
// `npm run bench`: every workload of scripts/bench-workloads.js on deka-ipc and on Node's
// builtin IPC (plus bun / deno when installed), alternating runtimes round by round, then a
// table of medians and the ratio to Node's builtin. No pass/fail: the figures are the output.
//
//   node scripts/bench.js [--quick] [--rounds N] [--only <workload substring>] [--json <file>]

const fs = require('fs');
const path = require('path');
const os = require('os');
const { spawnSync } = require('child_process');
const { workloadNames } = require('./bench-workloads');

const root = path.resolve(__dirname, '..');
const script = path.join(__dirname, 'bench-workloads.js');
const register = path.join(root, 'register.js');

function parseArgs(argv) {
  const opts = { quick: false, rounds: 5, only: null, json: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') opts.quick = true;
    else if (arg === '--rounds') opts.rounds = Number(argv[++i]);
    else if (arg === '--only') opts.only = argv[++i];
    else if (arg === '--json') opts.json = argv[++i];
    else throw new Error(`unknown option ${arg}`);
  }
  if (opts.quick && !argv.includes('--rounds')) opts.rounds = 1;
  return opts;
}

function findBinary(name) {
  const local = path.join(root, 'node_modules', '.bin', name);
  if (fs.existsSync(local)) return local;
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

// How each runtime starts the workload program; NODE_OPTIONS is cleared so nothing leaks in.
function runtimes() {
  const list = [
    { name: 'deka-ipc', command: [process.execPath, '--expose-gc', '--require', register, script] },
    { name: 'node', command: [process.execPath, '--expose-gc', script] },
  ];
  const bun = findBinary('bun');
  if (bun) list.push({ name: 'bun', command: [bun, script] });
  const deno = findBinary('deno');
  // Deno reads a .js file as ESM unless told to detect CommonJS.
  if (deno) list.push({ name: 'deno', command: [deno, 'run', '-A', '--unstable-detect-cjs', script] });
  return list;
}

function runOnce(runtime, workload, quick) {
  const [file, ...args] = runtime.command;
  const r = spawnSync(file, [...args, workload, quick ? '1' : '0'], {
    encoding: 'utf8',
    timeout: 300000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const line = (r.stdout || '').trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    return { error: `exit ${r.status}${r.signal ? ' ' + r.signal : ''}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}` };
  }
}

const median = (values) => {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

// The figure each workload is judged by, and whether bigger is better.
function headline(workload) {
  if (workload.startsWith('pingpong')) return { key: 'p50Us', unit: 'µs p50', better: 'lower' };
  if (workload.startsWith('rss')) return { key: 'rssGrowthRatio', unit: '× msg size', better: 'lower' };
  if (workload.includes('64b') || workload.startsWith('rpc')) return { key: 'messagesPerSecond', unit: 'msg/s', better: 'higher' };
  return { key: 'mbPerSecond', unit: 'MB/s', better: 'higher' };
}

function format(value) {
  if (value === undefined) return '—';
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const names = workloadNames.filter((w) => !opts.only || w.includes(opts.only));
  const rts = runtimes();
  const results = {};
  for (const workload of names) {
    results[workload] = Object.fromEntries(rts.map((rt) => [rt.name, []]));
    for (let round = 0; round < opts.rounds; round++) {
      // Alternate which runtime goes first, so drift on the machine hits both alike.
      const order = round % 2 === 0 ? rts : rts.slice().reverse();
      for (const rt of order) {
        const r = runOnce(rt, workload, opts.quick);
        results[workload][rt.name].push(r);
        process.stderr.write(`  ${workload} round ${round + 1}/${opts.rounds} ${rt.name}: ${r.error ? r.error : JSON.stringify(r)}\n`);
      }
    }
  }

  const header = ['workload', 'unit', ...rts.map((rt) => rt.name), ...rts.filter((rt) => rt.name !== 'node').map((rt) => `${rt.name}/node`)];
  const rows = [];
  let failures = 0;
  for (const workload of names) {
    const { key, unit } = headline(workload);
    const medians = {};
    for (const rt of rts) {
      const values = results[workload][rt.name].filter((r) => !r.error).map((r) => r[key]);
      failures += results[workload][rt.name].length - values.length;
      medians[rt.name] = values.length ? median(values) : undefined;
    }
    const ratios = rts.filter((rt) => rt.name !== 'node').map((rt) =>
      medians[rt.name] !== undefined && medians.node ? `${(medians[rt.name] / medians.node).toFixed(2)}×` : '—');
    rows.push([workload, unit, ...rts.map((rt) => format(medians[rt.name])), ...ratios]);
    if (workload.startsWith('pingpong')) {
      const p99 = {};
      for (const rt of rts) {
        const values = results[workload][rt.name].filter((r) => !r.error).map((r) => r.p99Us);
        p99[rt.name] = values.length ? median(values) : undefined;
      }
      rows.push([`${workload} (p99)`, 'µs p99', ...rts.map((rt) => format(p99[rt.name])),
        ...rts.filter((rt) => rt.name !== 'node').map((rt) =>
          p99[rt.name] !== undefined && p99.node ? `${(p99[rt.name] / p99.node).toFixed(2)}×` : '—')]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  console.log(`\nnpm run bench${opts.quick ? ' --quick' : ''}: ${os.cpus().length} × ${os.cpus()[0].model.trim()}, node ${process.version}, ` +
              `${new Date().toISOString().slice(0, 10)}, median of ${opts.rounds} round(s)`);
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
  console.log('ratios: throughput higher is better; latency (µs) and RSS growth lower is better');
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(results, null, 2));
  if (failures) {
    console.log(`${failures} run(s) failed (see above)`);
    process.exitCode = 1;
  }
}

main();
