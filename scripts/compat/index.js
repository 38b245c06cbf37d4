'use strict';
// The compat runner: every compat/<phase>/test-*.{js,mjs} in its own process, against a chosen
// runtime, judged against the expected failures, reported as it goes and at the end.
// The command line is scripts/compat.js (and `deka-ipc compat` of bin/deka-ipc.js).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PROJECT_ROOT, resolveRuntime } = require('../lib/runtime');
const { discover, phaseMatches, comparePhases, loadKnownFailures, loadExpectList } = require('./discover');
const { runCase, judge, installSignalHandlers } = require('./run-case');
const { C, fmtMs, resultLine, newCounts, count, Dashboard, table, tail } = require('./report');

const DEFAULT_ROOT = path.join(PROJECT_ROOT, 'compat');
const TAIL_LINES = 80;

/**
 * Run the compat tree. Options: { runtime, phases: [], filters: [], jobs, timeout, json, list,
 * root, plain, verbose, expect, log }. Returns { runtime, passed, failed, skipped, xfail, total,
 * results, phases, gate? }; with `expect`, gate = { file, regressions: [rel], nowPassing: [rel] }
 * and `failed` counts the regressions only.
 */
async function runCompat(options = {}) {
  const opts = {
    ...options,
    phases: [].concat(options.phases ?? options.phase ?? []),
    filters: [].concat(options.filters ?? options.filter ?? []),
    jobs: Math.max(1, Math.floor(options.jobs || 2)),
    timeout: options.timeout || 60,
  };
  const log = opts.log || ((s) => process.stdout.write(`${s}\n`));
  const root = path.resolve(opts.root || process.env.DEKA_COMPAT_ROOT || DEFAULT_ROOT);
  const rt = resolveRuntime(opts.runtime);
  const gate = Boolean(opts.expect);
  // With --expect, the team's list is the baseline; the lists kept in this repository are not.
  const known = gate ? loadExpectList(path.resolve(opts.expect)) : loadKnownFailures(root, rt.name);
  const listName = gate ? opts.expect : 'known-failures.json';

  const all = discover(root);
  let cases = all;
  if (opts.phases.length) cases = cases.filter((c) => phaseMatches(c.phase, opts.phases));
  if (opts.filters.length) cases = cases.filter((c) => opts.filters.some((f) => c.rel.includes(f) || c.file.includes(f)));
  const expectation = (c) => known.list[c.rel]
    || (c.kind === 'beyond' && rt.name !== 'deka-ipc' ? `beyond Node: ${c.about}` : null);

  const counts = { runtime: rt.name, ...newCounts(), results: [], phases: {} };
  if (opts.list) {
    for (const c of cases) {
      const exp = expectation(c);
      const extra = [c.timeout ? `timeout ${c.timeout}s` : null, exp ? `expected to fail on ${rt.name}: ${exp}` : null].filter(Boolean);
      log(`${c.rel}\n    ${c.kind ? `${c.kind}: ${c.about}` : C.red(`NO HEADER — ${c.headerError}`)}${extra.length ? `\n    ${C.dim(extra.join('; '))}` : ''}`);
    }
    log(`${cases.length} case(s)`);
    counts.total = cases.length;
    return counts;
  }

  if (known.file) {
    const present = new Set(all.map((c) => c.rel));
    for (const k of Object.keys(known.list)) {
      if (!present.has(k)) log(C.yellow(`warning: ${listName} lists ${k}${gate ? '' : ` for ${rt.name}`}, but no such case exists`));
    }
  }
  if (!cases.length) {
    log(C.red(`compat: no case matched under ${root}`));
    log(`compat[${rt.name}]: 0 passed, 0 failed, 0 skipped, 0 xfail`);
    counts.noneMatched = true;
    if (opts.json) writeJson(opts.json, rt, root, counts, 0);
    return counts;
  }
  if (rt.problem) {
    log(C.red(`compat: runtime ${rt.name}: ${rt.problem}`));
  }

  // execa is ESM only: import() loads it on every Node 20 (require() of ESM only from 20.19).
  const { execa } = await import('execa');
  const phaseCounts = new Map();
  const phaseTotals = new Map();
  for (const c of cases) {
    if (!phaseCounts.has(c.phase)) phaseCounts.set(c.phase, newCounts());
    phaseTotals.set(c.phase, (phaseTotals.get(c.phase) || 0) + 1);
  }
  const tty = !opts.plain && !opts.verbose && process.stdout.isTTY && process.env.TERM !== 'dumb' && !opts.log;
  const dash = tty ? new Dashboard(rt.name, phaseCounts, phaseTotals) : null;
  if (!dash) log(`compat[${rt.name}]: ${cases.length} case(s), ${opts.jobs} at a time, command: ${rt.command.join(' ')}`);
  const startAll = Date.now();

  const onResult = (r) => {
    counts.results.push(r);
    count(counts, r);
    count(phaseCounts.get(r.phase), r);
    const note = (s) => (dash ? dash.log(s) : log(s));
    if (!dash) log(resultLine(r));
    else if (r.outcome === 'fail' || r.outcome === 'xpass') dash.log(resultLine(r));
    if (opts.verbose && r.output) log(C.dim(String(r.output).replace(/\s+$/, '').replace(/^/gm, '   | ')));
    if (r.lingered) note(C.yellow(`note: ${r.file} left processes running after it ended; they were killed`));
    if (r.heldOpen) note(C.yellow(`note: ${r.file}: a process outside its group kept its output open; stopped reading it`));
  };

  const stopAll = installSignalHandlers(dash);
  try {
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        if (!c.kind) {
          onResult(judge({ file: c.rel, phase: c.phase, header: null, durationMs: 0, status: 'fail', why: `no header: ${c.headerError}`, output: '' }, null));
          continue;
        }
        onResult(judge(await runCase(c, rt, opts, execa), expectation(c), { gate }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.jobs, cases.length) }, worker));
  } finally {
    if (dash) dash.stop();
    stopAll();
  }
  const elapsed = Date.now() - startAll;

  // ----- report
  const order = [...phaseCounts.keys()];
  counts.results.sort((a, b) => comparePhases(a.phase, b.phase) || a.file.localeCompare(b.file, 'en', { numeric: true }));
  for (const p of order) counts.phases[p] = phaseCounts.get(p);
  const rows = order.map((p) => {
    const c = phaseCounts.get(p);
    return [p, c.passed, c.failed, c.skipped, c.xfail, c.total];
  });
  rows.push(['total', counts.passed, counts.failed, counts.skipped, counts.xfail, counts.total]);
  log('');
  log(table(rows, ['phase', 'passed', 'failed', 'skipped', 'xfail', 'total']));

  const failures = counts.results.filter((r) => r.outcome === 'fail' || r.outcome === 'xpass');
  if (failures.length) {
    log('');
    log(C.bold(C.red(`${failures.length} failure(s):`)));
    for (const r of failures) {
      log('');
      log(C.red(`━━ ${r.outcome === 'xpass' ? 'XPASS' : 'FAIL'} ${r.file}  (${r.why})${r.header ? `  [${r.header}]` : ''}`));
      if (r.output) log(tail(r.output, TAIL_LINES).map((l) => `   ${l}`).join('\n'));
      else if (r.outcome === 'fail' && r.header) log(C.dim('   (no output)'));
    }
  }
  const listOf = (outcome, title) => {
    const rs = counts.results.filter((r) => r.outcome === outcome);
    if (!rs.length) return;
    log('');
    log(C.bold(`${title} (${rs.length}):`));
    for (const r of rs) log(`  ${r.file} — ${r.why}${outcome === 'xfail' && r.failWhy ? C.dim(` [${r.failWhy}]`) : ''}`);
  };
  listOf('xfail', 'expected failures');
  listOf('skip', 'skipped');
  if (gate) counts.gate = reportGate(opts.expect, counts.results, log);
  log('');
  log(C.dim(`${fmtMs(elapsed)} on ${rt.command.join(' ')}`));
  const final = `compat[${rt.name}]: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.xfail} xfail`;
  log(counts.failed ? C.red(final) : final);
  if (opts.json) writeJson(opts.json, rt, root, counts, elapsed);
  return counts;
}

/**
 * --expect: the verdict of a release gate. A regression is a case that failed and is not on the
 * list (counted as failed: the exit code is 1); a listed case that passes now is reported, so the
 * team can take it off its list, and does not fail the gate.
 */
function reportGate(file, results, log) {
  const regressions = results.filter((r) => r.outcome === 'fail').map((r) => r.file);
  const nowPassing = results.filter((r) => r.nowPasses);
  log('');
  if (nowPassing.length) {
    log(C.bold(`listed in ${file} as failing, passing now (${nowPassing.length}): take them off the list`));
    for (const r of nowPassing) log(`  ${r.file} — listed: ${r.expected}`);
  }
  log(regressions.length
    ? C.red(`gate (${file}): FAILED, ${regressions.length} regression(s): ${regressions.join(', ')}`)
    : `gate (${file}): passed, no regression (${nowPassing.length} listed case(s) passing now)`);
  return { file, regressions, nowPassing: nowPassing.map((r) => r.file) };
}

function writeJson(file, rt, root, counts, elapsed) {
  const data = {
    runtime: rt.name,
    command: rt.command,
    root,
    node: process.version,
    platform: `${os.platform()}-${os.arch()}`,
    finishedAt: new Date().toISOString(),
    durationMs: elapsed,
    passed: counts.passed,
    failed: counts.failed,
    skipped: counts.skipped,
    xfail: counts.xfail,
    total: counts.total,
    phases: counts.phases,
    ...(counts.gate ? { gate: counts.gate } : {}),
    results: counts.results.map(({ output, ...r }) => ({ ...r, outputTail: tail(output, TAIL_LINES).join('\n') })),
  };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}

module.exports = { runCompat, DEFAULT_ROOT };
