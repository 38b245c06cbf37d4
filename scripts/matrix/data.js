'use strict';
// The matrix as data: columns (a runtime on a Node line, or bun / deno) × compat cases, assembled
// from the runs' compat JSON files (scripts/compat.js --json), its identity (which runs count as
// "the same matrix"), the changes since a previous run of it, and the terminal table.
// No process is started here; scripts/matrix/ runs things, html.js draws them.

const crypto = require('node:crypto');

const FORMAT = 1;
// outcomes that make `npm run matrix` exit non-zero (compat.js counts XPASS as a failure too)
const BAD = new Set(['fail', 'xpass']);
const OUTCOMES = ['pass', 'fail', 'xpass', 'xfail', 'skip'];

/** "deka-ipc@26", "node@20"; bun and deno are keyed by their name alone. */
function columnKey(runtime, major) {
  return major == null ? runtime : `${runtime}@${major}`;
}

/** phase1…phase5 first in number order, then the other folders alphabetically (as compat.js). */
function comparePhases(a, b) {
  const rank = (p) => (/^phase\d/.test(p) ? 0 : 1);
  return rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true });
}

function emptyCounts() {
  return { passed: 0, failed: 0, skipped: 0, xfail: 0, total: 0 };
}

function addOutcome(counts, outcome) {
  counts.total++;
  if (outcome === 'pass') counts.passed++;
  else if (outcome === 'skip') counts.skipped++;
  else if (outcome === 'xfail') counts.xfail++;
  else counts.failed++; // fail, xpass
}

/**
 * Two runs are of "the same matrix" when they have the same columns and the same selection of
 * cases: a run of lines 20 and 26 is not compared with a run of all four lines.
 */
function matrixIdentity(columnKeys, selection = {}) {
  const identity = {
    columns: [...columnKeys],
    phases: [...(selection.phases || [])].sort(),
    filters: [...(selection.filters || [])].sort(),
  };
  const id = crypto.createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 12);
  return { id, identity };
}

/**
 * Builds the matrix from finished runs.
 *   runs: [{ key, runtime, line (major or null), label, version, error?, log?, compat? }]
 *     compat is the object scripts/compat.js wrote with --json; error says why there is none
 *     (build failed, runtime not found, the runner crashed).
 *   meta: { startedAt, finishedAt, host, source, lines, selection }
 * A passing case keeps no output (it would only bloat the file); every other outcome keeps the
 * tail compat.js recorded.
 */
function assembleMatrix(runs, meta = {}) {
  const { id, identity } = matrixIdentity(runs.map((r) => r.key), meta.selection);
  const cases = new Map(); // file -> case
  const phases = new Set();
  const columns = runs.map((run) => {
    const column = {
      key: run.key,
      runtime: run.runtime,
      line: run.line ?? null,
      label: run.label || run.key,
      version: run.version || null,
      status: run.error ? 'error' : 'ran',
      error: run.error || null,
      log: run.log || null,
      runner: run.runner || null, // bun/deno: the Node line whose build the runner and interop cases used
      durationMs: run.compat ? run.compat.durationMs : null,
      counts: emptyCounts(),
      phases: {},
    };
    for (const r of (run.compat && run.compat.results) || []) {
      phases.add(r.phase);
      if (!cases.has(r.file)) cases.set(r.file, { file: r.file, phase: r.phase, header: r.header, results: {} });
      const c = cases.get(r.file);
      if (!c.header && r.header) c.header = r.header;
      const result = { outcome: r.outcome, why: r.why || null, durationMs: r.durationMs ?? null };
      if (r.exitCode != null) result.exitCode = r.exitCode;
      if (r.signal) result.signal = r.signal;
      if (r.failWhy) result.failWhy = r.failWhy;
      if (r.outcome !== 'pass') result.output = r.outputTail || '';
      c.results[run.key] = result;
      addOutcome(column.counts, r.outcome);
      addOutcome((column.phases[r.phase] ||= emptyCounts()), r.outcome);
    }
    if (run.compat && run.compat.noneMatched) column.noneMatched = true;
    return column;
  });
  const phaseList = [...phases].sort(comparePhases);
  const caseList = [...cases.values()].sort((a, b) => comparePhases(a.phase, b.phase)
    || a.file.localeCompare(b.file, 'en', { numeric: true }));
  const matrix = {
    format: FORMAT,
    id,
    identity,
    startedAt: meta.startedAt || null,
    finishedAt: meta.finishedAt || null,
    durationMs: meta.startedAt && meta.finishedAt ? Date.parse(meta.finishedAt) - Date.parse(meta.startedAt) : null,
    host: meta.host || null,
    source: meta.source || null,
    lines: meta.lines || [],
    columns,
    phases: phaseList,
    cases: caseList,
  };
  matrix.unexpected = unexpectedProblems(matrix);
  return matrix;
}

/** Everything that makes the run fail: a column that could not run, a FAIL or XPASS, no case at all. */
function unexpectedProblems(matrix) {
  const out = [];
  for (const col of matrix.columns) {
    if (col.status === 'error') out.push({ column: col.key, file: null, outcome: 'error', why: col.error });
    else if (col.noneMatched || col.counts.total === 0) out.push({ column: col.key, file: null, outcome: 'error', why: 'no case matched' });
  }
  for (const c of matrix.cases) {
    for (const col of matrix.columns) {
      const r = c.results[col.key];
      if (r && BAD.has(r.outcome)) out.push({ column: col.key, file: c.file, outcome: r.outcome, why: r.why });
    }
  }
  return out;
}

/**
 * What changed from `prev` to `cur`, column by column (columns are matched by key, so a new
 * patch release of a line is still the same column; its version change is reported).
 *   newlyPassing: was anything but pass, now pass
 *   newlyFailing: was pass, skip or xfail, now fail or XPASS
 *   otherChanges: any other change of outcome (pass -> skip, fail -> xfail, …)
 *   added / removed: cases only in one of the two runs
 *   columns: a column that could not run in one of them, or whose version moved
 */
function diffMatrices(prev, cur) {
  const changes = {
    previous: { finishedAt: prev.finishedAt, source: prev.source || null },
    newlyPassing: [],
    newlyFailing: [],
    otherChanges: [],
    added: [],
    removed: [],
    columns: [],
  };
  const prevCols = new Map(prev.columns.map((c) => [c.key, c]));
  const curCols = new Map(cur.columns.map((c) => [c.key, c]));
  for (const col of cur.columns) {
    const before = prevCols.get(col.key);
    if (!before) changes.columns.push({ column: col.key, change: 'new column' });
    else {
      if (before.status !== col.status) {
        changes.columns.push({ column: col.key, change: col.status === 'error' ? `could not run: ${col.error}` : 'runs again', from: before.status, to: col.status });
      }
      if (before.version && col.version && before.version !== col.version) {
        changes.columns.push({ column: col.key, change: `version ${before.version} -> ${col.version}` });
      }
    }
  }
  for (const col of prev.columns) {
    if (!curCols.has(col.key)) changes.columns.push({ column: col.key, change: 'column gone' });
  }
  // cases are compared only where both runs ran the column
  const ran = cur.columns.filter((c) => c.status === 'ran' && prevCols.get(c.key)?.status === 'ran').map((c) => c.key);
  const prevCases = new Map(prev.cases.map((c) => [c.file, c]));
  const curCases = new Map(cur.cases.map((c) => [c.file, c]));
  for (const c of cur.cases) {
    const p = prevCases.get(c.file);
    for (const key of ran) {
      const now = c.results[key];
      const was = p && p.results[key];
      if (!now && !was) continue;
      if (!was) {
        changes.added.push({ column: key, file: c.file, to: now.outcome });
        continue;
      }
      if (!now) continue; // counted below as removed
      if (was.outcome === now.outcome) continue;
      const item = { column: key, file: c.file, from: was.outcome, to: now.outcome };
      if (now.outcome === 'pass') changes.newlyPassing.push(item);
      else if (BAD.has(now.outcome) && !BAD.has(was.outcome)) changes.newlyFailing.push(item);
      else changes.otherChanges.push(item);
    }
  }
  for (const p of prev.cases) {
    const c = curCases.get(p.file);
    for (const key of ran) {
      if (p.results[key] && !(c && c.results[key])) changes.removed.push({ column: key, file: p.file, from: p.results[key].outcome });
    }
  }
  return changes;
}

function changeCount(changes) {
  if (!changes) return 0;
  return changes.newlyPassing.length + changes.newlyFailing.length + changes.otherChanges.length
    + changes.added.length + changes.removed.length + changes.columns.length;
}

/** One cell of the terminal table: "88/90" passed of all, then failures, expected failures, skips. */
function cellText(col, counts) {
  if (col.status === 'error') return 'ERROR';
  if (!counts) return '-';
  let s = `${counts.passed}/${counts.total}`;
  if (counts.failed) s += ` ${counts.failed}F`;
  if (counts.xfail) s += ` ${counts.xfail}x`;
  if (counts.skipped) s += ` ${counts.skipped}s`;
  return s;
}

/** The terminal summary: phases × columns, a total row, and the legend. */
function textTable(matrix) {
  const header = ['phase', ...matrix.columns.map((c) => c.key)];
  const rows = matrix.phases.map((p) => [p, ...matrix.columns.map((c) => cellText(c, c.phases[p]))]);
  rows.push(['total', ...matrix.columns.map((c) => cellText(c, c.counts))]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((v, i) => (i === 0 ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i]))).join('  ').trimEnd();
  return [
    fmt(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(0, -1).map(fmt),
    widths.map((w) => '-'.repeat(w)).join('  '),
    fmt(rows[rows.length - 1]),
    'passed/total; F failed (FAIL or XPASS), x expected failures, s skipped',
  ].join('\n');
}

module.exports = {
  FORMAT,
  OUTCOMES,
  BAD,
  columnKey,
  comparePhases,
  matrixIdentity,
  assembleMatrix,
  unexpectedProblems,
  diffMatrices,
  changeCount,
  textTable,
};
