#!/usr/bin/env node
'use strict';
// `npm run matrix`: the compat suite on deka-ipc and on Node's builtin IPC, on every Node line
// (and on bun and deno when there), in one report: matrix-report/matrix.json + matrix.html.
//
// For each line: the official build comes from npm (node-<platform>-<arch>@<major>, bin/node and
// the headers under include/node), installed once into a cache folder outside the repository;
// a copy of this package in that cache (node_modules hard-linked to ours) is built for the line (node-gyp through npx with the
// line's bin/ first on PATH and npm_config_nodedir at the package; the machine's own node keeps
// npm's default nodedir); then scripts/compat.js of that copy runs under the line's node, once
// with --runtime deka-ipc and once with --runtime node. See USAGE below and the README.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');
const { assembleMatrix, columnKey, diffMatrices, changeCount, textTable } = require('./matrix-data');
const { renderMatrixHtml } = require('./matrix-html');

const ROOT = path.resolve(__dirname, '..');
const PLATFORM_PACKAGE = `node-${process.platform}-${process.arch}`;
const DEFAULT_MAJORS = [20, 22, 24, 26];
const MACHINE_MAJOR = Number(process.versions.node.split('.')[0]);
// not copied into a line's build folder: generated, or too big to copy (node_modules is linked)
const SKIP_NAMES = new Set(['.git', 'node_modules', 'build', 'dist', 'coverage', '.tap', '.next', '.compat-tmp', '.deka-repro', 'matrix-report']);

const USAGE = `Usage: npm run matrix -- [options]

  --node <lines>   Node lines, comma-separated, repeatable: a major (22: the machine's node when
                   it is that major, else ${PLATFORM_PACKAGE}@22 from npm, installed once into the
                   cache) or a path (a folder with bin/node, like an unpacked official build, or a
                   node binary). Default: ${DEFAULT_MAJORS.join(',')} and the machine's node (${process.version})
  --bun <path>     run the suite on this bun too (default: bun when on PATH)
  --deno <path>    run the suite on this deno too (default: deno when on PATH)
  --no-bun, --no-deno   leave them out even when on PATH
  --phase <p>, --filter <s>, --jobs <n>, --timeout <s>
                   passed to every compat run (see npm run compat -- --help)
  --out <dir>      where matrix.json, matrix.html, logs/ and runs/ go (default <repo>/matrix-report)
  --cache <dir>    downloaded lines and per-line builds (default $DEKA_MATRIX_CACHE, else
                   \${XDG_CACHE_HOME:-~/.cache}/deka-ipc/node-lines)
  --rebuild        build every line again even when its sources did not change
  -v, --verbose    stream every compat run's output (default: logs/<column>.log)
  -h, --help       this text

The report compares each run with the previous run of the same matrix (same columns, same
selection; kept in <out>/history/) and lists what newly passes and newly fails.
Exit code 0 when every column ran and nothing failed unexpectedly, 1 otherwise, 2 on bad usage.`;

// ---------------------------------------------------------------------------------------------
// options

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { node: [], phases: [], filters: [], bun: undefined, deno: undefined };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const take = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--node': opts.node.push(...take().split(',').map((s) => s.trim()).filter(Boolean)); break;
      case '--bun': opts.bun = take(); break;
      case '--deno': opts.deno = take(); break;
      case '--no-bun': opts.bun = false; break;
      case '--no-deno': opts.deno = false; break;
      case '--phase': opts.phases.push(take()); break;
      case '--filter': opts.filters.push(take()); break;
      case '--jobs': case '-j': opts.jobs = take(); break;
      case '--timeout': opts.timeout = take(); break;
      case '--out': opts.out = take(); break;
      case '--cache': opts.cache = take(); break;
      case '--rebuild': opts.rebuild = true; break;
      case '--verbose': case '-v': opts.verbose = true; break;
      case '--help': case '-h': opts.help = true; break;
      default: throw new UsageError(`unknown option ${argv[i]}`);
    }
  }
  return opts;
}

function defaultCache() {
  if (process.env.DEKA_MATRIX_CACHE) return process.env.DEKA_MATRIX_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'deka-ipc', 'node-lines');
}

// ---------------------------------------------------------------------------------------------
// small helpers

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function fmtMs(ms) {
  if (ms == null) return '-';
  return ms < 1000 ? `${ms}ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)}s`
    : `${Math.floor(ms / 60000)}m${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')}s`;
}

/** A path as the user would type it: relative below the current folder, absolute elsewhere. */
function shown(p) {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

function tailLines(text, n) {
  const lines = String(text || '').replace(/\s+$/, '').split('\n');
  return (lines.length > n ? [`… (${lines.length - n} earlier lines)`, ...lines.slice(-n)] : lines).join('\n');
}

/** Runs a command, its output (stdout and stderr together) into logFile and, if echo, to ours. */
function run(cmd, args, { cwd, env, logFile, echo = false, onLine }) {
  return new Promise((resolve) => {
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    log.write(`$ ${[cmd, ...args].join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let partial = '';
    const onData = (chunk) => {
      const s = chunk.toString('utf8');
      output += s;
      log.write(chunk);
      if (echo) process.stdout.write(chunk);
      if (onLine) {
        const parts = (partial + s).split('\n');
        partial = parts.pop();
        for (const line of parts) onLine(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const finish = (code, signal, error) => log.end(() => resolve({ code, signal, error, output }));
    child.on('error', (err) => finish(null, null, err));
    child.on('close', (code, signal) => finish(code, signal, null));
  });
}

function hashFiles(hash, dir, rel = '') {
  let entries;
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) hashFiles(hash, dir, r);
    else if (e.isFile()) hash.update(`${r}\0`).update(fs.readFileSync(path.join(dir, r))).update('\0');
  }
}

function stampOf(parts, dirs, base) {
  const hash = crypto.createHash('sha256').update(JSON.stringify(parts));
  for (const d of dirs) hashFiles(hash, base, d);
  return hash.digest('hex');
}

function gitInfo() {
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', 'HEAD');
  if (head.status !== 0) return null;
  const status = git('status', '--porcelain');
  return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}

// ---------------------------------------------------------------------------------------------
// Node lines

/**
 * -> [{ major, version, node, nodedir, origin }]. nodedir undefined = npm's default (the
 * machine's node), null = none known (node-gyp fetches the headers for the version it runs on).
 */
async function resolveLines(specs, cache, say) {
  const wanted = specs.length ? specs : [...new Set([...DEFAULT_MAJORS, MACHINE_MAJOR])].sort((a, b) => a - b).map(String);
  const lines = [];
  for (const spec of wanted) {
    let line;
    if (/^\d+$/.test(spec)) {
      const major = Number(spec);
      if (major === MACHINE_MAJOR) line = { node: process.execPath, nodedir: undefined, origin: 'machine' };
      else line = { ...(await download(major, cache, say)), origin: 'npm' };
    } else {
      line = { ...fromPath(spec), origin: 'path' };
    }
    const v = spawnSync(line.node, ['-p', 'process.version'], { encoding: 'utf8' });
    if (v.status !== 0) throw new UsageError(`${line.node} does not run: ${(v.stderr || v.error || '').toString().trim()}`);
    line.version = v.stdout.trim();
    line.major = Number(line.version.slice(1).split('.')[0]);
    if (/^\d+$/.test(spec) && line.major !== Number(spec)) throw new UsageError(`asked for Node ${spec}, ${line.node} is ${line.version}`);
    if (lines.some((l) => l.major === line.major)) throw new UsageError(`Node ${line.major} is given twice`);
    lines.push(line);
  }
  return lines.sort((a, b) => a.major - b.major);
}

/** The official build of a major from npm, installed once into <cache>/n<major>. */
async function download(major, cache, say) {
  const prefix = path.join(cache, `n${major}`);
  const pkg = path.join(prefix, 'node_modules', PLATFORM_PACKAGE);
  const node = path.join(pkg, 'bin', 'node');
  if (!isExecutable(node)) {
    fs.mkdirSync(prefix, { recursive: true });
    const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `${PLATFORM_PACKAGE}@${major}`];
    say(`Node ${major}: npm ${args.join(' ')}`);
    const r = spawnSync('npm', args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 || !isExecutable(node)) throw new UsageError(`could not install ${PLATFORM_PACKAGE}@${major} into ${prefix}`);
  }
  return { node, nodedir: pkg };
}

/** A folder with bin/node (an unpacked official build) or a node binary. */
function fromPath(p) {
  const abs = path.resolve(p);
  let node;
  if (isExecutable(abs)) node = abs;
  else if (isExecutable(path.join(abs, 'bin', 'node'))) node = path.join(abs, 'bin', 'node');
  else throw new UsageError(`--node ${p}: neither a node binary nor a folder with bin/node`);
  const folder = path.dirname(path.dirname(node));
  const headers = fs.existsSync(path.join(folder, 'include', 'node', 'node_version.h'));
  return { node, nodedir: headers ? folder : null };
}

/** The environment a line builds and runs in: its bin/ first on PATH, its headers for node-gyp. */
function lineEnv(line) {
  const env = { ...process.env, PATH: [path.dirname(line.node), process.env.PATH].join(path.delimiter) };
  if (line.nodedir !== undefined) env.npm_config_nodedir = line.nodedir || '';
  return env;
}

// ---------------------------------------------------------------------------------------------
// per-line copy and build

/** Mirrors the package's sources into dest (changed files only); node_modules is a link to ours. */
function syncTree(src, dest) {
  fs.mkdirSync(dest, { recursive: true });
  const present = new Set();
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    if (SKIP_NAMES.has(e.name) || path.join(src, e.name) === currentOut) continue;
    present.add(e.name);
    const from = path.join(src, e.name);
    const to = path.join(dest, e.name);
    if (e.isDirectory()) {
      if (fs.existsSync(to) && !fs.lstatSync(to).isDirectory()) fs.rmSync(to, { recursive: true, force: true });
      syncTree(from, to);
    } else if (e.isFile()) {
      const a = fs.statSync(from);
      const b = fs.existsSync(to) ? fs.lstatSync(to) : null;
      if (!b || !b.isFile() || a.size !== b.size || a.mtimeMs !== b.mtimeMs) {
        fs.rmSync(to, { recursive: true, force: true });
        fs.copyFileSync(from, to);
        fs.utimesSync(to, a.atime, a.mtime);
      }
    }
  }
  // what the sources no longer have (a deleted case must not run); outputs stay
  for (const name of fs.readdirSync(dest)) {
    if (!present.has(name) && !SKIP_NAMES.has(name) && !name.startsWith('.matrix-')) {
      fs.rmSync(path.join(dest, name), { recursive: true, force: true });
    }
  }
}
let currentOut = null; // the report folder, when it is inside the repository: never copied

/**
 * The copy's node_modules: hard links to ours (no space, no copying; a copy only across file
 * systems). Not a symlink: Next's Turbopack refuses packages outside the project's root.
 */
function linkNodeModules(copy) {
  const dest = path.join(copy, 'node_modules');
  if (fs.existsSync(dest) && fs.lstatSync(dest).isSymbolicLink()) fs.rmSync(dest);
  linkTree(path.join(ROOT, 'node_modules'), dest);
}

function linkTree(src, dest) {
  fs.mkdirSync(dest, { recursive: true });
  const present = new Set();
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    present.add(e.name);
    const from = path.join(src, e.name);
    const to = path.join(dest, e.name);
    let have = null;
    try {
      have = fs.lstatSync(to);
    } catch {}
    if (e.isDirectory()) {
      if (have && !have.isDirectory()) fs.rmSync(to, { force: true });
      linkTree(from, to);
    } else if (e.isSymbolicLink()) {
      const target = fs.readlinkSync(from);
      if (have && have.isSymbolicLink() && fs.readlinkSync(to) === target) continue;
      if (have) fs.rmSync(to, { recursive: true, force: true });
      fs.symlinkSync(target, to);
    } else if (e.isFile()) {
      if (have && have.isFile() && have.ino === fs.statSync(from).ino) continue;
      if (have) fs.rmSync(to, { recursive: true, force: true });
      try {
        fs.linkSync(from, to);
      } catch (err) {
        if (err.code !== 'EXDEV' && err.code !== 'EPERM') throw err;
        fs.copyFileSync(from, to);
      }
    }
  }
  for (const name of fs.readdirSync(dest)) {
    if (!present.has(name)) fs.rmSync(path.join(dest, name), { recursive: true, force: true });
  }
}

function packageVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/**
 * Builds the copy for the line: the addon (node-gyp) and dist/ (tsc), each skipped when its inputs
 * and the line are those of the last successful build. -> { status, durationMs, outputTail? }
 */
async function buildLine(line, copy, logFile, opts, say) {
  const env = lineEnv(line);
  const start = Date.now();
  const steps = [
    {
      name: 'addon',
      stamp: stampOf([line.version, line.node, line.nodedir ?? 'npm default', packageVersion('nan'), packageVersion('node-gyp')], ['binding.gyp', 'src-native'], copy),
      output: path.join(copy, 'build', 'Release', 'deka_ipc.node'),
      cmd: ['npx', '--no-install', 'node-gyp', 'rebuild'],
    },
    {
      name: 'dist',
      stamp: stampOf([packageVersion('typescript')], ['tsconfig.json', 'src'], copy),
      output: path.join(copy, 'dist', 'index.js'),
      cmd: ['npx', '--no-install', 'tsc', '-p', 'tsconfig.json'],
    },
  ];
  let built = false;
  for (const step of steps) {
    const stampFile = path.join(copy, `.matrix-${step.name}-stamp`);
    const old = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : null;
    if (!opts.rebuild && old === step.stamp && fs.existsSync(step.output)) continue;
    fs.rmSync(stampFile, { force: true });
    if (step.name === 'addon') fs.rmSync(path.join(copy, 'build'), { recursive: true, force: true });
    say(`  ${step.cmd.join(' ')}`);
    const r = await run(step.cmd[0], step.cmd.slice(1), { cwd: copy, env, logFile, echo: opts.verbose });
    if (r.code !== 0 || !fs.existsSync(step.output)) {
      return {
        status: 'failed',
        step: step.name,
        durationMs: Date.now() - start,
        outputTail: tailLines(r.error ? String(r.error) : r.output, 60),
      };
    }
    fs.writeFileSync(stampFile, step.stamp);
    built = true;
  }
  return { status: built ? 'built' : 'unchanged', durationMs: Date.now() - start };
}

// ---------------------------------------------------------------------------------------------
// compat runs

function compatArgs(opts) {
  const args = ['--plain'];
  for (const p of opts.phases) args.push('--phase', p);
  for (const f of opts.filters) args.push('--filter', f);
  if (opts.jobs) args.push('--jobs', String(opts.jobs));
  if (opts.timeout) args.push('--timeout', String(opts.timeout));
  return args;
}

/** One column: scripts/compat.js of the copy, under `node`, with `runtime`. */
async function runColumn(col, { node, copy, env }, out, opts, say) {
  const json = path.join(out, 'runs', `${col.key}.json`);
  const logFile = path.join(out, 'logs', `${col.key}.log`);
  fs.rmSync(json, { force: true });
  fs.rmSync(logFile, { force: true });
  const script = path.join(copy, 'scripts', 'compat.js');
  const args = [script, '--runtime', col.runtime, '--json', json, ...compatArgs(opts)];
  const live = process.stdout.isTTY && !opts.verbose;
  let total = '?';
  let done = 0;
  let failed = 0;
  const label = `  ${col.key.padEnd(12)}`;
  const onLine = live ? (line) => {
    const m = /^compat\[[^\]]*\]: (\d+) case/.exec(line);
    if (m) total = m[1];
    else if (/^(?:\x1b\[\d+m)?(?:ok {2}|FAIL|skip|xfail|XPASS) /.test(line)) {
      done++;
      if (/^(?:\x1b\[\d+m)?(?:FAIL|XPASS) /.test(line)) failed++;
      process.stdout.write(`\r${label} ${done}/${total}${failed ? ` (${failed} failed)` : ''}\x1b[K`);
    }
  } : undefined;
  const start = Date.now();
  const r = await run(node, args, { cwd: copy, env: { ...env, NO_COLOR: '1' }, logFile, echo: opts.verbose, onLine });
  if (live) process.stdout.write('\r\x1b[K');
  const logRel = path.relative(out, logFile);
  if (!fs.existsSync(json)) {
    const why = `compat.js ended (${r.signal || `exit ${r.code}`}) without results; see ${logRel}`;
    say(`${label} ERROR: ${why}`);
    return { ...col, error: why, log: logRel, errorOutput: tailLines(r.output, 40) };
  }
  const compat = JSON.parse(fs.readFileSync(json, 'utf8'));
  say(`${label} ${compat.passed} passed, ${compat.failed} failed, ${compat.skipped} skipped, ${compat.xfail} xfail  (${fmtMs(Date.now() - start)})`);
  return { ...col, compat, log: logRel };
}

/** bun / deno: the given binary (or the one on PATH), put on PATH under its own name. */
function otherRuntime(name, given, cache) {
  if (given === false) return null;
  const bin = given ? path.resolve(given) : onPath(name);
  if (!bin) return null;
  if (!isExecutable(bin)) throw new UsageError(`--${name} ${given}: not an executable`);
  let dir = path.dirname(bin);
  if (path.basename(bin) !== name) {
    dir = path.join(cache, 'shims', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.rmSync(path.join(dir, name), { force: true });
    fs.symlinkSync(bin, path.join(dir, name));
  }
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const version = v.status === 0 ? v.stdout.trim().split('\n')[0].replace(new RegExp(`^${name}\\s+`), '').split(' ')[0] : null;
  return { name, bin, dir, version };
}

// ---------------------------------------------------------------------------------------------
// main

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`matrix: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const say = (s) => process.stdout.write(`${s}\n`);
  const cache = path.resolve(opts.cache || defaultCache());
  const out = path.resolve(opts.out || path.join(ROOT, 'matrix-report'));
  currentOut = out;
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
    syncTree(ROOT, copy);
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

module.exports = { parseArgs, resolveLines, syncTree };

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  }, (err) => {
    process.stderr.write(`matrix: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  });
}
