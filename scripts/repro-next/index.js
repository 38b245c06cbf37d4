#!/usr/bin/env node
'use strict';
// `npm run repro:next [-- options]`: runs a Next.js app twice — once on Node's builtin IPC, once
// on deka-ipc — records what crossed every IPC channel in each run, normalises what legitimately
// differs, and prints both message sequences side by side with the first divergence.
// Exit code 0 = no divergence, 1 = divergence, 2 = the tool itself could not run.
// See `npm run repro:next -- --help`. The runs are run.js, their records record.js, the
// comparison compare.js, the report report.js.

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { UsageError, badCommandLine, defineCli, positiveNumber, runCli } = require('../lib/cli');
const { PROJECT_ROOT: ROOT } = require('../lib/runtime');
const { compareRecords } = require('./compare');
const { report } = require('./report');

const cli = defineCli({
  usage: 'npm run repro:next [-- options]     (or: node scripts/repro-next [options])',
  intro: `Runs a Next.js app on Node's builtin IPC (twice or more) and on deka-ipc, records the IPC
messages of every child of each run, learns from the builtin runs what Next.js varies by
itself, and reports what the deka-ipc run does that no builtin run explains.`,
  options: [
    { name: 'app', type: 'string', value: '<dir>', help: `the Next.js app (default: compat/phase5-nextjs/app, the fixture). It is
copied without node_modules, .next, .git and lockfiles into
<dir>/.deka-repro/repro-run-<pid> (the fixture: into
compat/phase5-nextjs/.compat-tmp), so next, react and the app's
node_modules resolve as they do for the app itself; every run uses that
same path in turn; the copy is removed afterwards unless --keep.` },
    { name: 'build', type: 'boolean', help: 'run `next build` (until it exits) instead of `next dev`' },
    { name: 'restart', type: 'boolean', help: `next dev: after the first 200, change next.config.* in the copy so the
server child restarts (exit 77); wait for the second handshake and 200` },
    { name: 'path', type: 'string', value: '<p>', help: 'the page requested once the dev server is ready (default /)' },
    { name: 'next-arg', type: 'string', multiple: true, value: '<a>', help: 'one more argument for next, e.g. --next-arg=--webpack (repeatable)' },
    { name: 'builtin-runs', type: 'string', value: '<n>', help: `how many runs on Node's builtin IPC (default 2, at least 2): what differs
between them is Next.js's own variation, discounted; more runs learn more` },
    { name: 'timeout', type: 'string', value: '<s>', help: `how long each wait may take (default 180; with --build, how long the
build may take: default 900, as a build on a busy machine takes minutes)` },
    { name: 'keep', type: 'boolean', help: `keep the copies (repro-<run>-<pid>), with their logs (observe.jsonl,
trace.jsonl, next.log)` },
    { name: 'json', type: 'string', value: '<file>', help: 'write the runs (outcome, normalised sequences) and the verdict as JSON' },
    { name: 'compare', type: 'string', value: '<file>', help: 'no run: compare the runs of a --json file again (.json or .json.gz)' },
    { name: 'width', type: 'string', value: '<n>', help: 'width of the side-by-side table (default: terminal width or 160)' },
  ],
  epilogue: `Order of the runs: builtin #1, deka-ipc, builtin #2, ... (a drift of the machine touches both
sides). How each run is recorded: every run preloads compat/fixtures/ipc-observer.js, which
appends every process.send() and 'message' of each IPC child (and its exit code) to
observe.jsonl; that is the record of a builtin run. The deka-ipc run also sets
DEKA_IPC_TRACE, and its record is the trace: every frame on the wire at both ends, of which
each child's own channel is compared (the observer only names the processes, and must agree
with the trace). Normalised: pids (processes are named <script>#<n> in start order), the
port, the copy's path (<app>), next's package path (<next>), buildId, durations and trace
span ids. Notes list what only the trace can see (a frame written by one end and never read
by the other); they are not compared, as Node's builtin leaves no such record.

How the runs are compared (scripts/repro-next/compare.js; the README says more): jest-worker
children (next build's workers) as one multiset of call exchanges per pool; any other child
message by message per direction. Discounted, and listed in the report with the reason: what
is known to carry no order (lists under buildTraceContext and pluginState, object key order),
and what the builtin runs show to vary (values, sizes, presence, order). Exit code 0: every
deka-ipc message is explained by the builtin runs, same outcome; 1: a divergence; 2: the tool
itself could not run.`,
});

function parseArgs(argv) {
  const { values: v } = cli.parse(argv);
  const opts = {
    help: v.help,
    app: v.app ?? null,
    build: Boolean(v.build),
    restart: Boolean(v.restart),
    path: v.path ?? '/',
    nextArgs: v['next-arg'] || [],
    timeout: v.timeout === undefined ? null : positiveNumber(v.timeout, '--timeout'),
    keep: Boolean(v.keep),
    json: v.json ?? null,
    width: v.width === undefined ? null : positiveNumber(v.width, '--width'),
    builtinRuns: v['builtin-runs'] === undefined ? 2 : atLeastTwo(v['builtin-runs'], '--builtin-runs'),
    compare: v.compare ?? null,
  };
  if (opts.build && opts.restart) throw badCommandLine('--restart is for next dev, not with --build');
  if (opts.timeout === null) opts.timeout = opts.build ? 900 : 180;
  if (!opts.path.startsWith('/')) throw badCommandLine('--path must start with /');
  return opts;
}

function atLeastTwo(s, name) {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 2) throw badCommandLine(`${name} wants a whole number >= 2 (two builtin runs are the least that show Next.js's own variation), got "${s}"`);
  return n;
}

async function main(argv) {
  const opts = parseArgs(argv);
  if (opts.help) {
    process.stdout.write(`${cli.help()}\n`);
    return 0;
  }
  // the run's modules load next (and read dist/): not before --help
  const { FIXTURE_APP, copyBase, onSignal, runOnce } = require('./run');
  const say = (s) => process.stdout.write(`${s}\n`);
  if (opts.compare) return compareSaved(opts, say);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  opts.app = path.resolve(opts.app || FIXTURE_APP);
  if (!fs.existsSync(path.join(opts.app, 'package.json'))) {
    process.stderr.write(`repro-next: ${opts.app} has no package.json: not a Next.js app\n`);
    return 2;
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'register.js'))) {
    process.stderr.write('repro-next: dist/ is missing: build deka-ipc first (npm install or npm run build)\n');
    return 2;
  }
  const mode = opts.build ? 'next build' : `next dev${opts.restart ? ' with a config-change restart' : ''}`;
  say(`repro-next: ${[mode, ...opts.nextArgs].join(' ')} on ${path.relative(process.cwd(), opts.app) || '.'}, ` +
      `${opts.builtinRuns} times on Node's builtin IPC, once on deka-ipc`);
  // Builtin run #1, the deka-ipc run, then the other builtin runs: a drift of the machine (warm
  // caches, load) then touches both sides instead of only the later one.
  const plan = [{ runtime: 'node', label: 'builtin #1', name: 'node1' }, { runtime: 'deka-ipc', label: 'deka-ipc', name: 'deka-ipc' }];
  for (let n = 2; n <= opts.builtinRuns; n++) plan.push({ runtime: 'node', label: `builtin #${n}`, name: `node${n}` });
  const runs = [];
  let failed = null;
  for (const which of plan) {
    say(`  running on ${which.runtime === 'node' ? `Node's builtin IPC (${which.label})` : 'deka-ipc'} ...`);
    let run;
    try {
      run = await runOnce(which, opts, say);
    } catch (err) {
      failed = err;
      break;
    }
    runs.push(run);
    if (!opts.keep) {
      fs.rmSync(run.dir, { recursive: true, force: true });
    } else {
      const kept = path.join(copyBase(opts.app), `repro-${which.name}-${process.pid}`);
      fs.rmSync(kept, { recursive: true, force: true });
      fs.renameSync(run.dir, kept);
      run.dir = kept;
      say(`    kept ${run.dir} (next.log, observe.jsonl${which.runtime === 'deka-ipc' ? ', trace.jsonl' : ''})`);
    }
  }
  if (failed) {
    process.stderr.write(`repro-next: ${failed instanceof UsageError ? failed.message : failed.stack}\n`);
    for (const r of runs) if (!opts.keep) fs.rmSync(r.dir, { recursive: true, force: true });
    return 2;
  }
  if (opts.app !== FIXTURE_APP && !opts.keep) {
    try {
      fs.rmdirSync(path.join(opts.app, '.deka-repro'));
    } catch {
      // not empty (another run) or already gone
    }
  }
  const failedRun = runs.find((r) => !r.exit || r.exit.code !== 0);
  const code = judge(opts, { mode, app: opts.app, args: [mode, ...opts.nextArgs] }, runs, say);
  if (failedRun && !opts.keep) {
    say(`\n--- ${failedRun.label}: next output (last 40 lines) ---`);
    say(failedRun.output.split('\n').slice(-40).join('\n'));
  }
  return code;
}

/** Compares the runs, prints the report, writes --json; the exit code. */
function judge(opts, about, runs, say) {
  const verdict = compareRecords({ builtin: runs.filter((r) => r.runtime === 'node'), deka: runs.find((r) => r.runtime === 'deka-ipc') });
  report(opts, runs, verdict, say);
  if (opts.json) {
    fs.writeFileSync(opts.json, JSON.stringify({
      ...about,
      verdict: {
        ok: verdict.ok, outcome: verdict.outcome, discounted: verdict.discounted,
        divergences: verdict.divergences.map(({ unit, builtinEvents, dekaEvents, ...d }) => d),
      },
      runs: runs.map((r) => ({ runtime: r.runtime, label: r.label, seconds: r.seconds, args: r.args, steps: r.steps, processes: r.processes, notes: r.notes })),
    }, null, 2));
  }
  const selfCheck = runs.some((r) => r.notes.some((n) => n.selfCheck));
  return !verdict.ok || selfCheck ? 1 : 0;
}

/** --compare: the runs of a --json file, judged again (no Next.js run). */
function compareSaved(opts, say) {
  let saved;
  try {
    const raw = fs.readFileSync(opts.compare);
    saved = JSON.parse(opts.compare.endsWith('.gz') ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8'));
  } catch (err) {
    process.stderr.write(`repro-next: cannot read ${opts.compare}: ${err.message}\n`);
    return 2;
  }
  const runs = (saved.runs || []).map((r, i) => ({ notes: [], steps: [], seconds: 0, label: r.label || `${r.runtime} #${i + 1}`, ...r }));
  if (!runs.some((r) => r.runtime === 'deka-ipc') || !runs.some((r) => r.runtime === 'node')) {
    process.stderr.write(`repro-next: ${opts.compare} needs runs on 'node' and one on 'deka-ipc'\n`);
    return 2;
  }
  say(`repro-next: the runs of ${opts.compare} (${saved.mode || '?'}), compared again`);
  return judge(opts, { mode: saved.mode, app: saved.app, comparedFrom: opts.compare }, runs, say);
}

module.exports = { parseArgs };

if (require.main === module) runCli('repro-next', main, { usage: cli.help, crashCode: 2 });
