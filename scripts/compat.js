#!/usr/bin/env node
'use strict';
// Runner of the compat/ tree: every compat/<phase>/test-*.{js,mjs} in its own process, against a
// chosen runtime (deka-ipc = node with our register.js preloaded, node = Node's builtin IPC as the
// oracle, bun, deno, or any command). See `node scripts/compat.js --help`.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PROJECT_ROOT = path.resolve(__dirname, '..');
const REGISTER = path.join(PROJECT_ROOT, 'register.js');
const DEFAULT_ROOT = path.join(PROJECT_ROOT, 'compat');
const TAIL_LINES = 80;
const HEADER_RE = /^\/\/\s*(node|ours|beyond)\s*:\s*(.*?)\s*$/;
const SKIP_RE = /^1\.\.0\s*#\s*skip(?:ped)?\s*:?\s*(.*?)\s*$/im;
const TIMEOUT_RE = /^\/\/\s*timeout\s*:\s*(\d+(?:\.\d+)?)\s*$/;

const USAGE = `Usage: node scripts/compat.js [options]

  --runtime <r>    deka-ipc (default; node + --require=<repo>/register.js), node (builtin IPC,
                   the oracle), bun, deno (deno run -A --unstable-detect-cjs), or any command line (split on spaces)
  --phase <p>      only these phases; repeatable. "1" = phase1*, "4" = phase4-*, or a folder name
  --filter <s>     only files whose path (relative to compat/) contains s; repeatable
  --jobs <n>       files run at once (default 2)
  --timeout <s>    seconds per file (default 60; a "// timeout: N" header line overrides)
  --json <file>    write the results as JSON
  --list           print the selected cases and their headers, run nothing
  --root <dir>     compat tree to run (default <repo>/compat; env DEKA_COMPAT_ROOT)
  --plain          one line per finished file even on a TTY (no live dashboard)
  -v, --verbose    print every case's output, not only the failures' (implies --plain)
  -h, --help       this text

Each file's first line is its header: "// node: <Node test it re-expresses>", "// ours: <what>" or
"// beyond: <why>" (expected to fail on every runtime but deka-ipc). Expected failures per runtime
live in <root>/known-failures.json: { "<runtime>": { "<phase>/<file>": "<reason>" } }.
Outcomes: ok, FAIL, skip (exit 0 and a "1..0 # Skipped: <reason>" line), xfail (an expected
failure), XPASS (an expected failure that passed: counted as failed, so the lists stay honest).
Exit code 1 on any unexpected failure or when no case matched.`;

// ---------------------------------------------------------------------------------------------
// options

function parseArgs(argv) {
  const opts = { phases: [], filters: [] };
  const value = (i, name) => {
    if (i + 1 >= argv.length) throw new UsageError(`${name} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const take = () => (inline !== undefined ? inline : value(i++, arg));
    switch (arg) {
      case '--runtime': opts.runtime = take(); break;
      case '--phase': opts.phases.push(take()); break;
      case '--filter': opts.filters.push(take()); break;
      case '--jobs': case '-j': opts.jobs = positiveNumber(take(), arg); break;
      case '--timeout': opts.timeout = positiveNumber(take(), arg); break;
      case '--json': opts.json = take(); break;
      case '--root': opts.root = take(); break;
      case '--list': opts.list = true; break;
      case '--plain': opts.plain = true; break;
      case '--verbose': case '-v': opts.verbose = true; break;
      case '-h': case '--help': opts.help = true; break;
      default: throw new UsageError(`unknown option ${argv[i]}`);
    }
  }
  return opts;
}

class UsageError extends Error {}

function positiveNumber(s, name) {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} wants a positive number, got "${s}"`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// runtimes

function findBin(name) {
  const local = path.join(PROJECT_ROOT, 'node_modules', '.bin', name);
  if (isExecutable(local)) return local;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

// NODE_OPTIONS without any preload of our register.js (so the oracle run is really Node's IPC).
function withoutOurPreload(nodeOptions) {
  if (!nodeOptions) return '';
  const tokens = nodeOptions.match(/(?:[^\s"]+|"[^"]*")+/g) || [];
  const ours = (p) => {
    const v = p.replace(/"/g, '');
    return v === REGISTER || v === 'deka-ipc/register' || /deka-ipc[\\/]register(\.js)?$/.test(v);
  };
  const out = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const m = /^(?:--require|-r)=(.*)$/.exec(t);
    if (m && ours(m[1])) continue;
    if ((t === '--require' || t === '-r') && i + 1 < tokens.length && ours(tokens[i + 1])) { i++; continue; }
    out.push(t);
  }
  return out.join(' ');
}

// -> { name, command: [file, ...args], env: {overrides; undefined deletes}, problem? }
function resolveRuntime(spec) {
  const name = spec || 'deka-ipc';
  const base = { DEKA_COMPAT_RUNTIME: name };
  switch (name) {
    case 'deka-ipc': {
      const req = /\s/.test(REGISTER) ? `--require="${REGISTER}"` : `--require=${REGISTER}`;
      const prev = withoutOurPreload(process.env.NODE_OPTIONS);
      return {
        name,
        command: [process.execPath],
        env: { ...base, NODE_OPTIONS: prev ? `${prev} ${req}` : req },
        problem: fs.existsSync(REGISTER) ? null
          : `${path.relative(process.cwd(), REGISTER) || REGISTER} does not exist (build the project first)`,
      };
    }
    case 'node': {
      const prev = withoutOurPreload(process.env.NODE_OPTIONS);
      return { name, command: [process.execPath], env: { ...base, NODE_OPTIONS: prev || undefined } };
    }
    case 'bun': case 'deno': {
      const bin = findBin(name);
      return {
        name,
        command: bin ? (name === 'deno' ? [bin, 'run', '-A', '--unstable-detect-cjs'] : [bin]) : [name],
        env: base,
        problem: bin ? null : `${name} not found in node_modules/.bin or PATH`,
      };
    }
    default: {
      const command = name.trim().split(/\s+/).filter(Boolean);
      if (!command.length) throw new UsageError('--runtime is empty');
      return { name, command, env: base };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// discovery

function phaseMatches(phase, wanted) {
  return wanted.some((w) => (/^\d+$/.test(w) ? new RegExp(`^phase${w}(?:\\D|$)`).test(phase) : phase === w || phase === `phase${w}`));
}

function discover(root) {
  const files = [];
  const walk = (dir, depth) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if (depth === 0) throw new UsageError(`cannot read compat root ${dir}: ${err.message}`);
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name === 'fixtures' || e.name.startsWith('.')) continue;
        if (depth === 0 && e.name === 'common') continue;
        walk(full, depth + 1);
      } else if (e.isFile() && /^test-.*\.(?:js|mjs)$/.test(e.name)) {
        files.push(full);
      }
    }
  };
  walk(root, 0);
  return files.map((file) => {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const phase = rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '(top)';
    return { file, rel, phase, ...readHeader(file) };
  }).sort((a, b) => comparePhases(a.phase, b.phase) || a.rel.localeCompare(b.rel, 'en', { numeric: true }));
}

// phase1, phase2… in order, then the other folders alphabetically
function comparePhases(a, b) {
  const rank = (p) => (/^phase\d/.test(p) ? 0 : 1);
  return rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true });
}

function readHeader(file) {
  let text = '';
  try {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    text = buf.toString('utf8', 0, n);
  } catch (err) {
    return { kind: null, headerError: `cannot read: ${err.message}` };
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let i = 0;
  if (lines[0] && lines[0].startsWith('#!')) i = 1;
  const m = HEADER_RE.exec(lines[i] || '');
  const out = m && m[2]
    ? { kind: m[1], about: m[2] }
    : { kind: null, headerError: `first line must be "// node: …", "// ours: …" or "// beyond: …", found ${JSON.stringify((lines[i] || '').slice(0, 80))}` };
  // "// timeout: N" anywhere in the preamble: comments, blank lines, 'use strict'
  for (let j = i; j < lines.length && /^\s*(?:\/\/.*|(['"])use strict\1;?)?\s*$/.test(lines[j]); j++) {
    const t = TIMEOUT_RE.exec(lines[j].trim());
    if (t) out.timeout = Number(t[1]);
  }
  return out;
}

function loadKnownFailures(root, runtime) {
  const file = path.join(root, 'known-failures.json');
  if (!fs.existsSync(file)) return { list: {}, file: null };
  let data;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: ${err.message}`);
  }
  const list = {};
  for (const [k, v] of Object.entries((data && data[runtime]) || {})) {
    list[k.replace(/\\/g, '/').replace(/^(?:\.\/)?compat\//, '')] = String(v || 'listed in known-failures.json');
  }
  return { list, file };
}

// ---------------------------------------------------------------------------------------------
// running one file

const running = new Map(); // pgid -> case

function killGroup(pid, signal = 'SIGKILL') {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

// Is a live (non-zombie) process left in the group? Zombies count as gone: where pid 1 does not
// reap orphans they stay listed although they have ended.
function groupAlive(pgid) {
  let procs;
  try {
    procs = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch (err) {
      return err.code === 'EPERM';
    }
  }
  for (const p of procs) {
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[2]) === pgid && f[0] !== 'Z' && f[0] !== 'X') return true;
  }
  return false;
}

function tail(text, n) {
  const lines = String(text || '').replace(/\s+$/, '').split('\n');
  return lines.length > n ? [`… (${lines.length - n} earlier lines)`, ...lines.slice(-n)] : lines;
}

async function runCase(tc, rt, opts, execa) {
  const timeoutSec = tc.timeout || opts.timeout;
  const start = Date.now();
  tc.startedAt = start;
  const env = { ...process.env };
  for (const [k, v] of Object.entries(rt.env)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const [file, ...args] = rt.command;
  const sub = execa(file, [...args, tc.file], {
    cwd: PROJECT_ROOT,
    env,
    extendEnv: false,
    stdin: 'ignore',
    all: true,
    reject: false,
    detached: true, // own process group: a timeout or ^C kills grandchildren too
    cleanup: false,
    stripFinalNewline: false,
  });
  let timedOut = false;
  let lingered = false;
  let heldOpen = false;
  let exited = null;
  const timers = [];
  const pid = sub.pid;
  if (pid) {
    running.set(pid, tc);
    timers.push(setTimeout(() => {
      timedOut = true;
      killGroup(pid);
    }, timeoutSec * 1000));
    // When the test process is gone, a grandchild still holding its stdout/stderr would keep the
    // result waiting: give the output a moment, end the group, and if something outside the
    // group (a detached grandchild) still holds the pipes, stop reading them.
    sub.once('exit', (code, signal) => {
      exited = { code, signal };
      timers.push(setTimeout(() => {
        if (groupAlive(pid)) lingered = true;
        killGroup(pid);
        timers.push(setTimeout(() => {
          heldOpen = true;
          sub.stdout?.destroy();
          sub.stderr?.destroy();
        }, 1500));
      }, 500));
    });
  }
  const res = await sub;
  for (const t of timers) clearTimeout(t);
  if (pid) {
    if (!timedOut && groupAlive(pid)) lingered = true;
    killGroup(pid); // nothing of a finished case stays behind
    running.delete(pid);
  }
  const r = {
    file: tc.rel,
    phase: tc.phase,
    header: tc.kind ? `${tc.kind}: ${tc.about}` : null,
    durationMs: Date.now() - start,
    exitCode: exited ? exited.code : res.exitCode ?? null,
    signal: exited ? exited.signal : res.signal ?? null,
    timedOut,
    lingered,
    heldOpen,
    output: res.all ?? '',
  };
  if (timedOut) {
    r.status = 'fail';
    r.why = `timeout after ${timeoutSec}s, process group killed`;
  } else if (r.exitCode === 0) {
    const m = SKIP_RE.exec(res.stdout || '');
    if (m) {
      r.status = 'skip';
      r.why = m[1] || '(no reason given)';
    } else {
      r.status = 'pass';
    }
  } else {
    r.status = 'fail';
    if (r.signal) r.why = `killed by ${r.signal}`;
    else if (r.exitCode != null) r.why = `exit ${r.exitCode}`;
    else r.why = `could not run: ${res.shortMessage || res.message || 'unknown error'}`;
  }
  return r;
}

// pass/fail/skip -> final outcome given the expectation
function judge(r, expected) {
  if (!expected) {
    r.outcome = r.status; // pass | fail | skip
    return r;
  }
  r.expected = expected;
  if (r.status === 'fail') {
    r.outcome = 'xfail';
    r.failWhy = r.why;
    r.why = expected;
  } else if (r.status === 'pass') {
    r.outcome = 'xpass';
    r.why = `expected to fail (${expected}) but passed — remove it from the list`;
  } else {
    r.outcome = 'skip';
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// display

const useColor = () => !process.env.NO_COLOR && (process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== '0' : process.stdout.isTTY);
const paint = (code) => (s) => (useColor() ? `\x1b[${code}m${s}\x1b[0m` : String(s));
const C = { red: paint('31'), green: paint('32'), yellow: paint('33'), cyan: paint('36'), dim: paint('2'), bold: paint('1'), magenta: paint('35') };

function fmtMs(ms) {
  return ms < 1000 ? `${ms}ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60000)}m${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')}s`;
}

function resultLine(r) {
  const t = C.dim(fmtMs(r.durationMs));
  switch (r.outcome) {
    case 'pass': return `${C.green('ok  ')} ${r.file} ${t}`;
    case 'skip': return `${C.yellow('skip')} ${r.file} — ${r.why}`;
    case 'xfail': return `${C.cyan('xfail')} ${r.file} — ${r.why}`;
    case 'xpass': return `${C.red('XPASS')} ${r.file} ${t}  (${r.why})`;
    default: return `${C.red('FAIL')} ${r.file} ${t}  (${r.why})`;
  }
}

function newCounts() {
  return { passed: 0, failed: 0, skipped: 0, xfail: 0, total: 0 };
}

function count(c, r) {
  c.total++;
  if (r.outcome === 'pass') c.passed++;
  else if (r.outcome === 'skip') c.skipped++;
  else if (r.outcome === 'xfail') c.xfail++;
  else c.failed++;
}

class Dashboard {
  constructor(rtName, phases, totals) {
    this.rtName = rtName;
    this.phases = phases; // Map phase -> counts
    this.totals = totals; // Map phase -> number of cases
    this.lines = 0;
    this.start = Date.now();
    this.out = process.stdout;
    this.out.write('\x1b[?25l');
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
  }

  clear() {
    if (this.lines) this.out.write(`\x1b[${this.lines}F\x1b[J`);
    this.lines = 0;
  }

  // a line that stays above the dashboard (failures, as they happen)
  log(line) {
    this.clear();
    this.out.write(`${line}\n`);
    this.draw();
  }

  draw() {
    const cols = Math.max(40, this.out.columns || 80);
    const rows = Math.max(10, this.out.rows || 24);
    const fit = (s) => truncateAnsi(s, cols - 1);
    const width = Math.max(...[...this.phases.keys()].map((p) => p.length), 5);
    const barW = Math.max(10, Math.min(30, cols - width - 60));
    const lines = [C.bold(`compat[${this.rtName}]  ${fmtMs(Date.now() - this.start)}`)];
    for (const [phase, c] of this.phases) {
      const total = this.totals.get(phase);
      const done = c.total;
      const filled = Math.round((done / total) * barW);
      const barColor = c.failed ? C.red : done === total ? C.green : C.cyan;
      const bar = barColor('█'.repeat(filled)) + C.dim('░'.repeat(barW - filled));
      lines.push(`${phase.padEnd(width)} ${bar} ${String(done).padStart(3)}/${String(total).padEnd(3)} `
        + `${C.green(`${c.passed} passed`)}  ${c.failed ? C.red(`${c.failed} failed`) : `${c.failed} failed`}  `
        + `${c.skipped} skipped  ${c.xfail} xfail`);
    }
    const now = Date.now();
    const active = [...running.values()].sort((a, b) => a.startedAt - b.startedAt);
    const room = Math.max(1, rows - lines.length - 3);
    if (active.length) {
      lines.push(C.dim('running:'));
      for (const tc of active.slice(0, room)) lines.push(`  ${tc.rel} ${C.dim(fmtMs(now - tc.startedAt))}`);
      if (active.length > room) lines.push(C.dim(`  … and ${active.length - room} more`));
    }
    this.clear();
    this.out.write(lines.map(fit).join('\n') + '\n');
    this.lines = lines.length;
  }

  stop() {
    clearInterval(this.timer);
    this.draw();
    this.out.write('\x1b[?25h');
  }
}

// cut a string with ANSI colour codes to n visible characters
function truncateAnsi(s, n) {
  let visible = 0;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\x1b') {
      const m = /^\x1b\[[0-9;?]*[A-Za-z]/.exec(s.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (visible >= n) break;
    out += s[i];
    visible++;
  }
  return out + (useColor() ? '\x1b[0m' : '');
}

function table(rows, header) {
  const all = [header, ...rows];
  const w = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((v, i) => (i === 0 ? String(v).padEnd(w[i]) : String(v).padStart(w[i]))).join('  ');
  return [fmt(header), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(fmt)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// main entry

/**
 * Run the compat tree. Options: { runtime, phases: [], filters: [], jobs, timeout, json, list,
 * root, plain, log }. Returns { runtime, passed, failed, skipped, xfail, total, results, phases }.
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
  const known = loadKnownFailures(root, rt.name);

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
      if (!present.has(k)) log(C.yellow(`warning: known-failures.json lists ${k} for ${rt.name}, but no such case exists`));
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

  const { execa } = require('execa');
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
        onResult(judge(await runCase(c, rt, opts, execa), expectation(c)));
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
  log('');
  log(C.dim(`${fmtMs(elapsed)} on ${rt.command.join(' ')}`));
  const final = `compat[${rt.name}]: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.xfail} xfail`;
  log(counts.failed ? C.red(final) : final);
  if (opts.json) writeJson(opts.json, rt, root, counts, elapsed);
  return counts;
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
    results: counts.results.map(({ output, ...r }) => ({ ...r, outputTail: tail(output, TAIL_LINES).join('\n') })),
  };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}

// ^C / termination: the cases run in their own process groups (the terminal's ^C does not reach
// them), so end every group before leaving.
function installSignalHandlers(dash) {
  const killAll = () => {
    for (const pid of running.keys()) killGroup(pid);
  };
  const onSignal = (sig) => {
    killAll();
    if (dash) dash.stop();
    process.stdout.write(`\ncompat: ${sig}, killed ${running.size} running case(s)\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  const handlers = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((sig) => [sig, () => onSignal(sig)]);
  for (const [sig, h] of handlers) process.on(sig, h);
  process.on('exit', killAll);
  return () => {
    for (const [sig, h] of handlers) process.removeListener(sig, h);
    process.removeListener('exit', killAll);
  };
}

async function main() {
  // `… | head`: stop quietly (the 'exit' handler still ends the running groups)
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(1);
    throw err;
  });
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`compat: ${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    const c = await runCompat(opts);
    process.exitCode = opts.list ? (c.total ? 0 : 1) : (c.failed || !c.total ? 1 : 0);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`compat: ${err.message}\n`);
    process.exit(2);
  }
}

module.exports = { runCompat, parseArgs, resolveRuntime, discover };

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`compat: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
}
