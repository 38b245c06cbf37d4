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
//
// The command line is here; the runs are scripts/bench/run.js, the table scripts/bench/report.js.

const fs = require('fs');
const os = require('os');
const { defineCli, positiveNumber, runCli } = require('./lib/cli');
const { workloads } = require('./bench/workloads');

const cli = defineCli({
  usage: 'node scripts/bench.js [--quick] [--rounds N] [--only <workload substring>] [--json <file>]',
  intro: 'Every workload on deka-ipc and on Node\'s builtin IPC (and bun / deno when installed), runtimes\nalternating round by round; a table of medians, deka-ipc / node, each target and whether it is met.',
  options: [
    { name: 'quick', type: 'boolean', help: 'fewer messages per workload, one round unless --rounds says otherwise' },
    { name: 'rounds', type: 'string', value: '<n>', help: 'rounds per workload (default 5)' },
    { name: 'only', type: 'string', value: '<s>', help: `only the workloads whose name contains s; of:\n${wrap(Object.keys(workloads).join(', '), 80)}` },
    { name: 'json', type: 'string', value: '<file>', help: 'write every round\'s figures as JSON' },
    { name: 'markdown', type: 'string', value: '<file>', help: 'also write the table, the machine and the notes as Markdown (the project\'s record is\ndocs/performance.md: npm run bench -- --markdown docs/performance.md)' },
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
    markdown: values.markdown ?? null,
  };
}

function main(argv) {
  const opts = parseArgs(argv);
  if (opts.help) {
    process.stdout.write(`${cli.help()}\n`);
    return;
  }
  const { startupPreloads, runtimes, unavailable, runOnce, startHogs, stopHogs } = require('./bench/run');
  const { median, format, judge } = require('./bench/report');
  // what `-r deka-ipc/register` loads (the package's exports map it to dist/register.js): needs a build
  const register = require.resolve('deka-ipc/register');
  const preloads = startupPreloads(register);
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
        const r = runOnce(rt, workload, spec, opts.quick, preloads);
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
  const title = `npm run bench${opts.quick ? ' --quick' : ''}${opts.only ? ` --only ${opts.only}` : ''}: ` +
                `${os.cpus().length} × ${os.cpus()[0].model.trim()}, node ${process.version}, ` +
                `${new Date().toISOString().slice(0, 10)}, median of ${opts.rounds} round(s), load average ${os.loadavg()[0].toFixed(1)}`;
  const table = [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)];
  const notes = [
    'throughput: higher is better, timed in the steady state (half as many messages again go first, untimed); ' +
      'latency, CPU, timer gap, RSS: lower is better.',
    `onecore: taskset -c 0 on parent and child; busy: ${os.cpus().length} CPU hogs, one per core; ` +
      'startup-preload: node -r deka-ipc/register empty.js vs node empty.js; startup-empty-preload and ' +
      'startup-child-process-preload: the same with an empty -r file and with one that only requires child_process ' +
      '(deka-ipc and node only).',
  ];
  console.log(`\n${title}`);
  for (const row of table) console.log(row);
  for (const note of notes) console.log(note);
  if (opts.markdown) {
    const runtimesSeen = rts.map((rt) => rt.name).join(', ');
    fs.writeFileSync(opts.markdown, [
      '# Performance',
      '',
      'Written by `npm run bench -- --markdown <file>`: every workload on each runtime in the same run,',
      `alternating round by round (runtimes here: ${runtimesSeen}). Read ratios, not absolute figures: the`,
      'machine, its load and the Node line move them. The targets are the project\'s issues\'.',
      '',
      `${title}.`,
      '',
      ...table,
      '',
      ...notes.map((note) => `- ${note}`),
      '',
    ].join('\n'));
  }
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(results, null, 2));
  if (failures) {
    console.log(`${failures} run(s) failed (see above)`);
    process.exitCode = 1;
  }
}


runCli('bench', main, { usage: cli.help });
