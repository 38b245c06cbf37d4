'use strict';
// `npm run matrix`: the compat suite on deka-ipc and on Node's builtin IPC, on every Node line
// (and on bun and deno when there), in one report: matrix.json + matrix.html. The command line
// is scripts/matrix.js; the lines (lines.js), their builds (build.js), the runs (columns.js), the
// data (data.js) and the page (html.js) are here.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { UsageError } = require('../lib/cli');
const { PROJECT_ROOT: ROOT } = require('../lib/runtime');
const { fmtMs } = require('../lib/format');
const { assembleMatrix, columnKey, diffMatrices, changeCount, textTable } = require('./data');
const { renderMatrixHtml } = require('./html');
const { PLATFORM_PACKAGE, defaultCache, resolveLines, lineEnv } = require('./lines');
const { syncTree, linkNodeModules, buildLine } = require('./build');
const { runColumn, otherRuntime } = require('./columns');

/** A path as the user would type it: relative below the current folder, absolute elsewhere. */
function shown(p) {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

function gitInfo() {
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', 'HEAD');
  if (head.status !== 0) return null;
  const status = git('status', '--porcelain');
  return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}

/** The matrix for parsed options (see scripts/matrix.js): -> its exit code. */
async function runMatrix(opts) {
  const say = (s) => process.stdout.write(`${s}\n`);
  const cache = path.resolve(opts.cache || defaultCache());
  const out = path.resolve(opts.out || path.join(ROOT, 'matrix-report'));
  const startedAt = new Date().toISOString();

  let lines;
  let others;
  try {
    lines = await resolveLines(opts.node, cache, say);
    others = ['bun', 'deno'].map((n) => otherRuntime(n, opts[n], cache)).filter(Boolean);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`matrix: ${err.message}\n`);
    return 2;
  }
  for (const d of ['runs', 'logs', 'history']) fs.mkdirSync(path.join(out, d), { recursive: true });
  say(`matrix: Node ${lines.map((l) => l.version).join(', ')}${others.map((o) => `, ${o.name} ${o.version || '?'}`).join('')}`);
  say(`  cache ${cache}, report ${shown(out)}`);

  const runs = [];
  const linesMeta = [];
  let buildsForOthers = null;
  for (const line of lines) {
    const copy = path.join(cache, 'builds', line.version);
    say(`\nNode ${line.version} (${line.origin === 'machine' ? 'this machine\'s node' : line.origin === 'npm' ? `${PLATFORM_PACKAGE} from npm` : 'given path'}: ${line.node})`);
    syncTree(ROOT, copy, out);
    linkNodeModules(copy);
    const buildLog = path.join(out, 'logs', `build-${line.version}.log`);
    fs.rmSync(buildLog, { force: true });
    const build = await buildLine(line, copy, buildLog, opts, say);
    say(`  build: ${build.status === 'unchanged' ? 'reused (sources and line unchanged)' : `${build.status}${build.step ? ` (${build.step})` : ''} in ${fmtMs(build.durationMs)}`}`);
    if (build.status === 'failed') say(build.outputTail.replace(/^/gm, '    | '));
    linesMeta.push({
      major: line.major,
      version: line.version,
      node: line.node,
      nodedir: line.nodedir === undefined ? "npm's default" : line.nodedir,
      origin: line.origin,
      build: { ...build, log: fs.existsSync(buildLog) ? path.relative(out, buildLog) : null },
    });
    const where = { node: line.node, copy, env: lineEnv(line) };
    const label = (rt) => `${rt === 'node' ? 'builtin' : rt} on Node ${line.version}`;
    const dekaCol = { key: columnKey('deka-ipc', line.major), runtime: 'deka-ipc', line: line.major, version: line.version, label: label('deka-ipc') };
    if (build.status === 'failed') {
      runs.push({ ...dekaCol, error: `build failed (${build.step}); see ${linesMeta.at(-1).build.log}`, errorOutput: build.outputTail });
      say(`  ${dekaCol.key.padEnd(12)} not run: the build failed`);
    } else {
      runs.push(await runColumn(dekaCol, where, out, opts, say));
    }
    // the builtin runs even when our build failed (only the interop cases need the addon)
    runs.push(await runColumn({ key: columnKey('node', line.major), runtime: 'node', line: line.major, version: line.version, label: label('node') }, where, out, opts, say));
    if (!buildsForOthers || line.origin === 'machine') buildsForOthers = { ...where, version: line.version };
  }
  for (const o of others) {
    say(`\n${o.name} ${o.version || '?'} (${o.bin})`);
    const env = { ...buildsForOthers.env, PATH: [o.dir, buildsForOthers.env.PATH].join(path.delimiter) };
    runs.push(await runColumn({ key: columnKey(o.name, null), runtime: o.name, line: null, version: o.version, label: `${o.name} ${o.version || ''}`.trim(), runner: buildsForOthers.version }, { ...buildsForOthers, env }, out, opts, say));
  }

  const matrix = assembleMatrix(runs, {
    startedAt,
    finishedAt: new Date().toISOString(),
    host: { platform: `${process.platform}-${process.arch}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model || null },
    source: { root: ROOT, ...(gitInfo() || {}) },
    lines: linesMeta,
    selection: { phases: opts.phases, filters: opts.filters },
  });
  for (const run of runs) {
    if (run.errorOutput) matrix.columns.find((c) => c.key === run.key).errorOutput = run.errorOutput;
  }
  const historyFile = path.join(out, 'history', `${matrix.id}.json`);
  let previous = null;
  try {
    previous = JSON.parse(fs.readFileSync(historyFile, 'utf8'));
  } catch {}
  matrix.changes = previous && previous.format === matrix.format ? diffMatrices(previous, matrix) : null;

  const text = JSON.stringify(matrix, null, 2) + '\n';
  fs.writeFileSync(path.join(out, 'matrix.json'), text);
  fs.writeFileSync(historyFile, text);
  fs.writeFileSync(path.join(out, 'matrix.html'), renderMatrixHtml(matrix));

  say('');
  say(textTable(matrix));
  say('');
  printChanges(matrix.changes, say);
  if (matrix.unexpected.length) {
    say(`unexpected failures (${matrix.unexpected.length}):`);
    for (const u of matrix.unexpected) say(`  ${u.column}  ${u.file || '(column)'} — ${u.outcome === 'xpass' ? 'XPASS: ' : ''}${u.why}`);
  }
  say(`report: ${shown(path.join(out, 'matrix.html'))} (${fmtMs(matrix.durationMs)})`);
  say(`matrix: ${matrix.unexpected.length ? `${matrix.unexpected.length} unexpected failure(s)` : 'all columns ran, no unexpected failure'}`);
  return matrix.unexpected.length ? 1 : 0;
}

function printChanges(changes, say) {
  if (!changes) {
    say('changes: first run of this matrix (nothing to compare with)');
    return;
  }
  const n = changeCount(changes);
  say(`changes since the run of ${changes.previous.finishedAt}: ${n ? `${changes.newlyFailing.length} newly failing, ${changes.newlyPassing.length} newly passing, ${changes.otherChanges.length + changes.added.length + changes.removed.length + changes.columns.length} other` : 'none'}`);
  const list = (title, items, fmt) => {
    for (const it of items) say(`  ${title} ${it.column}  ${fmt(it)}`);
  };
  list('newly failing', changes.newlyFailing, (i) => `${i.file} (${i.from} -> ${i.to})`);
  list('newly passing', changes.newlyPassing, (i) => `${i.file} (${i.from} -> ${i.to})`);
  list('changed', changes.otherChanges, (i) => `${i.file} (${i.from} -> ${i.to})`);
  list('added', changes.added, (i) => `${i.file} (${i.to})`);
  list('removed', changes.removed, (i) => `${i.file} (was ${i.from})`);
  list('column', changes.columns, (i) => i.change);
}

module.exports = { runMatrix };
