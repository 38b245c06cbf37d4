#!/usr/bin/env node
'use strict';
// `npm run repro:next [-- options]`: runs a Next.js app twice — once on Node's builtin IPC, once
// on deka-ipc — records what crossed every IPC channel in each run, normalises what legitimately
// differs, and prints both message sequences side by side with the first divergence.
// Exit code 0 = no divergence, 1 = divergence, 2 = the tool itself could not run.
// See `node scripts/repro-next.js --help`.

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const zlib = require('node:zlib');
const { spawn } = require('node:child_process');
const { compareRecords } = require('./repro-next/compare');

const ROOT = path.resolve(__dirname, '..');
const REGISTER = path.join(ROOT, 'register.js');
const OBSERVER = path.join(ROOT, 'compat', 'fixtures', 'ipc-observer.js');
const FIXTURE_APP = path.join(ROOT, 'compat', 'phase5-nextjs', 'app');
const FIXTURE_TMP = path.join(ROOT, 'compat', 'phase5-nextjs', '.compat-tmp');
const COPY_SKIP = new Set(['node_modules', '.next', '.git', '.deka-repro', '.compat-tmp',
  'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb']);
const CONFIG_FILES = ['next.config.js', 'next.config.mjs', 'next.config.cjs', 'next.config.ts', 'next.config.mts'];

const USAGE = `Usage: npm run repro:next [-- options]     (or: node scripts/repro-next.js [options])

Runs a Next.js app on Node's builtin IPC (twice or more) and on deka-ipc, records the IPC
messages of every child of each run, learns from the builtin runs what Next.js varies by
itself, and reports what the deka-ipc run does that no builtin run explains.

  --app <dir>        the Next.js app (default: compat/phase5-nextjs/app, the fixture). It is
                     copied without node_modules, .next, .git and lockfiles into
                     <dir>/.deka-repro/repro-run-<pid> (the fixture: into
                     compat/phase5-nextjs/.compat-tmp), so next, react and the app's
                     node_modules resolve as they do for the app itself; every run uses that
                     same path in turn; the copy is removed afterwards unless --keep.
  --build            run \`next build\` (until it exits) instead of \`next dev\`
  --restart          next dev: after the first 200, change next.config.* in the copy so the
                     server child restarts (exit 77); wait for the second handshake and 200
  --path <p>         the page requested once the dev server is ready (default /)
  --next-arg <a>     one more argument for next, e.g. --next-arg=--webpack (repeatable)
  --builtin-runs <n> how many runs on Node's builtin IPC (default 2, at least 2): what differs
                     between them is Next.js's own variation, discounted; more runs learn more
  --timeout <s>      how long each wait may take (default 180; with --build, how long the
                     build may take: default 900, as a build on a busy machine takes minutes)
  --keep             keep the copies (repro-<run>-<pid>), with their logs (observe.jsonl,
                     trace.jsonl, next.log)
  --json <file>      write the runs (outcome, normalised sequences) and the verdict as JSON
  --compare <file>   no run: compare the runs of a --json file again (.json or .json.gz)
  --width <n>        width of the side-by-side table (default: terminal width or 160)
  -h, --help         this text

Order of the runs: builtin #1, deka-ipc, builtin #2, ... (a drift of the machine touches both
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
itself could not run.`;

// ---------------------------------------------------------------------------------------------
// options

function parseArgs(argv) {
  const opts = { app: null, build: false, restart: false, path: '/', nextArgs: [], timeout: null, keep: false,
    json: null, width: null, builtinRuns: 2, compare: null };
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
      case '--app': opts.app = take(); break;
      case '--build': opts.build = true; break;
      case '--restart': opts.restart = true; break;
      case '--path': opts.path = take(); break;
      case '--next-arg': opts.nextArgs.push(take()); break;
      case '--timeout': opts.timeout = positive(take(), arg); break;
      case '--keep': opts.keep = true; break;
      case '--json': opts.json = take(); break;
      case '--compare': opts.compare = take(); break;
      case '--width': opts.width = positive(take(), arg); break;
      case '--builtin-runs': opts.builtinRuns = atLeastTwo(take(), arg); break;
      case '-h': case '--help': opts.help = true; break;
      default: throw new UsageError(`unknown option ${argv[i]}`);
    }
  }
  if (opts.build && opts.restart) throw new UsageError('--restart is for next dev, not with --build');
  if (opts.timeout === null) opts.timeout = opts.build ? 900 : 180;
  if (!opts.path.startsWith('/')) throw new UsageError('--path must start with /');
  return opts;
}

class UsageError extends Error {}

function atLeastTwo(s, name) {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 2) throw new UsageError(`${name} wants a whole number >= 2 (two builtin runs are the least that show Next.js's own variation), got "${s}"`);
  return n;
}

function positive(s, name) {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} wants a positive number, got "${s}"`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// small helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `promise`, or undefined after `ms` — without a timer left to hold the process. */
function within(promise, ms) {
  let timer;
  const timeout = new Promise((r) => {
    timer = setTimeout(r, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function readLines(file) {
  if (!fs.existsSync(file)) return [];
  const out = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a line cut by a process killed mid-write: nothing to compare in it
    }
  }
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function get(port, pathname) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', (err) => resolve(err.code || err.message));
    req.setTimeout(30000, () => req.destroy(new Error('request timed out')));
  });
}

/** Polls `check` until it returns a truthy value (returned) or `ms` pass (null). */
async function poll(check, ms, alive) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline || (alive && !alive())) return null;
    await sleep(250);
  }
}

function procStat(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), f: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
  } catch {
    return null;
  }
}

/** Live (non-zombie) members of a process group, as { pid, comm }. */
function groupMembers(pgid) {
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    try {
      process.kill(-pgid, 0);
      return [{ pid: -pgid, comm: '?' }];
    } catch {
      return [];
    }
  }
  const out = [];
  for (const p of entries) {
    if (!/^\d+$/.test(p)) continue;
    const s = procStat(p);
    if (s && Number(s.f[2]) === pgid && s.f[0] !== 'Z' && s.f[0] !== 'X') out.push({ pid: Number(p), comm: s.comm });
  }
  return out;
}

/**
 * Live processes working in `dir` (cwd inside it, or it on their command line), as { pid, comm }:
 * what next started there outside its process group, like the telemetry flush the dev CLI
 * spawns `detached` on SIGINT (next/dist/telemetry/detached-flush.js), which ends by itself.
 */
function processesIn(dir) {
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const out = [];
  for (const p of entries) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    const s = procStat(p);
    if (!s || s.f[0] === 'Z' || s.f[0] === 'X') continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${p}/cwd`);
      const argv = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (cwd === dir || cwd.startsWith(dir + path.sep) || argv.some((a) => a.includes(dir))) {
        const script = argv.slice(1).find((a) => /\.[cm]?[jt]s$/.test(a));
        out.push({ pid: Number(p), comm: script ? path.basename(script) : s.comm });
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

function withoutOurPreload(nodeOptions) {
  const tokens = (nodeOptions || '').match(/(?:[^\s"]+|"[^"]*")+/g) || [];
  const ours = (v) => {
    const p = v.replace(/"/g, '');
    return p === REGISTER || p === OBSERVER || /deka-ipc[\\/]register(\.js)?$/.test(p);
  };
  const out = [];
  for (let i = 0; i < tokens.length; i++) {
    const m = /^(?:--require|-r)=(.*)$/.exec(tokens[i]);
    if (m && ours(m[1])) continue;
    if ((tokens[i] === '--require' || tokens[i] === '-r') && i + 1 < tokens.length && ours(tokens[i + 1])) {
      i++;
      continue;
    }
    out.push(tokens[i]);
  }
  return out.join(' ');
}

const quote = (p) => (/\s/.test(p) ? `"${p}"` : p);

// ---------------------------------------------------------------------------------------------
// the app copy

/**
 * Every run builds in the same place, one after the other: absolute paths reach what next and
 * webpack make (and the orders they sort by), so one place for all runs keeps the runs from
 * differing by the name of their copy.
 */
function copyApp(app) {
  const dir = path.join(copyBase(app), `repro-run-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // Entry by entry: the copy may live inside the app, and fs.cp refuses a destination inside its source.
  for (const name of fs.readdirSync(app)) {
    if (!COPY_SKIP.has(name)) fs.cpSync(path.join(app, name), path.join(dir, name), { recursive: true });
  }
  return dir;
}

function resolveNext(dir) {
  for (const from of [dir, ROOT]) {
    try {
      return require.resolve('next/dist/bin/next', { paths: [from] });
    } catch {
      // try the next place
    }
  }
  throw new UsageError(`cannot resolve next from ${dir} (install it in the app, or run from this repository)`);
}

// ---------------------------------------------------------------------------------------------
// one run

/** The run under way: ^C (or SIGTERM) ends its next group and removes its copy. */
let current = null;

function onSignal(signal) {
  if (current) {
    current.killGroup();
    if (!current.keep) {
      fs.rmSync(current.dir, { recursive: true, force: true });
      if (path.basename(path.dirname(current.dir)) === '.deka-repro') {
        try {
          fs.rmdirSync(path.dirname(current.dir));
        } catch {
          // not empty: another run's copy
        }
      }
    }
  }
  process.stderr.write(`repro-next: interrupted (${signal})\n`);
  process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
}

function copyBase(app) {
  return app === FIXTURE_APP ? FIXTURE_TMP : path.join(app, '.deka-repro');
}

async function runOnce({ runtime, label }, opts, say) {
  const dir = copyApp(opts.app);
  const logs = { observe: path.join(dir, 'observe.jsonl'), trace: path.join(dir, 'trace.jsonl'), next: path.join(dir, 'next.log') };
  const nextBin = resolveNext(dir);
  const port = opts.build ? null : await freePort();
  const preloads = runtime === 'deka-ipc' ? [REGISTER, OBSERVER] : [OBSERVER];
  const nodeOptions = [withoutOurPreload(process.env.NODE_OPTIONS), ...preloads.map((p) => `--require=${quote(p)}`)]
    .filter(Boolean).join(' ');
  const env = { ...process.env, NODE_OPTIONS: nodeOptions, NEXT_TELEMETRY_DISABLED: '1', DEKA_COMPAT_OBSERVE: logs.observe };
  delete env.DEKA_IPC_TRACE;
  if (runtime === 'deka-ipc') env.DEKA_IPC_TRACE = logs.trace;
  delete env.DEKA_COMPAT_RUNTIME;
  const args = opts.build ? ['build', ...opts.nextArgs] : ['dev', '-p', String(port), '-H', '127.0.0.1', ...opts.nextArgs];

  const t0 = Date.now();
  const out = fs.openSync(logs.next, 'w');
  const child = spawn(process.execPath, [nextBin, ...args], { cwd: dir, detached: true, stdio: ['ignore', out, out], env });
  fs.closeSync(out);
  const pgid = child.pid;
  const killGroup = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  process.on('exit', killGroup);
  current = { killGroup, dir, keep: opts.keep };
  let exit = null;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    exit = { code, signal };
    resolve(exit);
  }));
  const alive = () => exit === null;
  const steps = []; // the run's outcome, compared like messages
  const timeoutMs = opts.timeout * 1000;
  const serverReadies = () => readLines(logs.observe)
    .filter((e) => e.direction === 'out' && e.message && e.message.nextServerReady).length;
  let observedAtStop = Infinity; // observer lines written before we stopped next

  if (opts.build) {
    await within(exited, timeoutMs);
    if (exit === null) {
      steps.push(`next build: no exit within ${opts.timeout}s`);
      observedAtStop = readLines(logs.observe).length;
      child.kill('SIGINT');
      await within(exited, 10000);
    }
    steps.push(`.next/BUILD_ID ${fs.existsSync(path.join(dir, '.next', 'BUILD_ID')) ? 'present' : 'missing'}`);
  } else {
    const rounds = opts.restart ? 2 : 1;
    for (let round = 1; round <= rounds; round++) {
      const what = round === 1 ? 'handshake' : 'handshake after the restart';
      const ready = await poll(() => serverReadies() >= round, timeoutMs, alive);
      steps.push(`${what}: ${ready ? 'nextServerReady' : exit ? 'next exited first' : `none within ${opts.timeout}s`}`);
      let status = 'not requested';
      if (ready) {
        let last = null;
        status = await poll(async () => {
          last = await get(port, opts.path);
          return last === 200 ? 200 : null;
        }, timeoutMs, alive) || `${last} (no 200 within ${opts.timeout}s)`;
      }
      steps.push(`GET ${opts.path}${round === 2 ? ' after the restart' : ''}: ${status}`);
      say(`    ${label}: ${what} ${ready ? 'ok' : 'MISSING'}, GET ${opts.path} ${status} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
      if (!ready || status !== 200) break;
      if (round === 1 && opts.restart) {
        const config = CONFIG_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
        if (!config) {
          steps.push('restart: no next.config.* in the app');
          break;
        }
        fs.appendFileSync(config, `\n// deka-ipc repro: restart ${Date.now()}\n`);
      }
    }
    await sleep(500); // let whatever the request set off reach the logs
    observedAtStop = readLines(logs.observe).length;
    if (alive()) child.kill('SIGINT');
    await within(exited, timeoutMs);
  }
  if (exit === null) {
    steps.push('next: still running, killed');
    killGroup();
    await within(exited, 5000);
  } else {
    steps.push(`next exit: code ${exit.code}${exit.signal ? ` signal ${exit.signal}` : ''}`);
  }
  // Whatever next left behind (grace: 5 s for its group, 30 s for what it detached), then
  // nothing of the group stays; detached leftovers are only reported.
  const left = await poll(() => groupMembers(pgid).length === 0, 5000) ? [] : groupMembers(pgid);
  killGroup();
  process.removeListener('exit', killGroup);
  current = null;
  if (!await poll(() => processesIn(dir).length === 0, 30000)) {
    for (const p of processesIn(dir)) if (!left.some((l) => l.pid === p.pid)) left.push({ ...p, comm: `${p.comm} (detached)` });
  }
  steps.push(`left behind: ${left.length ? left.map((p) => p.comm).sort().join(', ') : 'nothing'}`);

  const nextDir = path.resolve(path.dirname(nextBin), '..', '..'); // <next>/dist/bin/next
  const record = buildRecord(runtime, { logs, rootPid: child.pid, dir, port, nextDir, observedAtStop });
  return {
    runtime, label, dir, port, args, seconds: (Date.now() - t0) / 1000, exit, left, steps,
    output: fs.readFileSync(logs.next, 'utf8'), ...record,
  };
}

// ---------------------------------------------------------------------------------------------
// from logs to comparable sequences

const VOLATILE_KEYS = new Map([
  ['buildId', '<buildId>'], ['previewModeId', '<preview>'], ['previewModeSigningKey', '<preview>'],
  ['previewModeEncryptionKey', '<preview>'], ['encryptionKey', '<key>'],
  ['duration', '<time>'], ['durationMs', '<time>'], ['time', '<time>'], ['timestamp', '<time>'],
  ['startTime', '<time>'], ['endTime', '<time>'],
  ['parentId', '<span>'], ['parentSpanId', '<span>'], ['spanId', '<span>'], ['traceId', '<span>'],
]);
/** Keys whose whole value is timing-made: next's own trace spans (ids follow creation order). */
const TIMING_KEYS = new Map([['debugTraceEvents', '<trace events>']]);

function normaliser({ dir, port, nextDir }) {
  // each path as is and URL-encoded (webpack loader queries carry them so)
  const spellings = (p) => [p, safeRealpath(p)].flatMap((x) => [x, encodeURIComponent(x)]);
  const dirs = [...new Set(spellings(dir))].sort((a, b) => b.length - a.length);
  const nextDirs = nextDir ? [...new Set(spellings(nextDir))].sort((a, b) => b.length - a.length) : [];
  const portRe = port ? new RegExp(`(?<!\\d)${port}(?!\\d)`, 'g') : null;
  const str = (s) => {
    for (const d of nextDirs) s = s.split(d).join('<next>');
    for (const d of dirs) s = s.split(d).join('<app>');
    return portRe ? s.replace(portRe, '<port>') : s;
  };
  const walk = (v, key) => {
    if (key !== undefined && TIMING_KEYS.has(key)) return TIMING_KEYS.get(key);
    if (key !== undefined && VOLATILE_KEYS.has(key) && v !== null && typeof v !== 'object') return VOLATILE_KEYS.get(key);
    if (typeof v === 'string') return str(v);
    if (typeof v === 'number') return port && v === port ? '<port>' : v;
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      const o = {};
      for (const [k, x] of Object.entries(v)) o[str(k)] = walk(x, k);
      return o;
    }
    return v;
  };
  return (v) => walk(v);
}

function safeRealpath(p) {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** What a frame carries for the user: NODE_HANDLE unwraps to its message, other NODE_ frames are internal. */
function userMessage(m) {
  if (m && typeof m === 'object' && typeof m.cmd === 'string' && m.cmd.startsWith('NODE_') && m.cmd.length > 5) {
    return m.cmd === 'NODE_HANDLE' ? { ok: true, message: m.msg } : { ok: false };
  }
  return { ok: true, message: m };
}

function roleName(script, counters) {
  const base = script ? path.basename(script).replace(/\.[cm]?js$/, '') : 'unknown';
  const parent = script ? path.basename(path.dirname(script)) : '';
  const name = parent ? `${parent}/${base}` : base;
  counters.set(name, (counters.get(name) || 0) + 1);
  return `${name}#${counters.get(name)}`;
}

/**
 * Child-side events of every IPC child, per process in start order: from the observer for the
 * builtin run, from the trace for deka-ipc (the observer then only names the processes, and
 * must agree with the trace: the self-check).
 */
function buildRecord(runtime, { logs, rootPid, dir, port, nextDir, observedAtStop }) {
  const norm = normaliser({ dir, port, nextDir });
  const observedAll = readLines(logs.observe);
  const observed = observedAll.map((e, i) => ({ ...e, line: i }));
  const info = new Map(); // pid -> { script, ppid }
  for (const e of observed) if (!info.has(e.pid)) info.set(e.pid, { script: e.script, ppid: e.ppid });
  const exits = observed.filter((e) => e.event === 'exit' && e.line < observedAtStop);
  const messages = observed.filter((e) => e.direction === 'in' || e.direction === 'out');
  const notes = [];

  // pid -> [{ direction, text (raw JSON, or null for a trace preview), preview, message }]
  const perPid = new Map();
  const push = (pid, ev) => {
    if (!perPid.has(pid)) perPid.set(pid, []);
    perPid.get(pid).push(ev);
  };

  if (runtime === 'deka-ipc') {
    const frames = readLines(logs.trace);
    const byPid = new Map();
    for (const f of frames) {
      if (!byPid.has(f.pid)) byPid.set(f.pid, []);
      byPid.get(f.pid).push(f);
    }
    const childrenOf = new Map();
    for (const [pid, { ppid }] of info) {
      if (!childrenOf.has(ppid)) childrenOf.set(ppid, []);
      childrenOf.get(ppid).push(pid);
    }
    const frameText = (f) => ('preview' in f ? null : JSON.stringify(f.message));
    const opposite = (d) => (d === 'in' ? 'out' : 'in');
    // Own-channel frames of each child: all its frames but those paired with one of its children.
    const own = new Map();
    for (const [pid, list] of byPid) {
      if (pid === rootPid) continue;
      const kidFrames = new Map();
      for (const k of childrenOf.get(pid) || []) {
        for (const f of byPid.get(k) || []) {
          const key = `${opposite(f.direction)} ${frameText(f) ?? f.preview}`;
          kidFrames.set(key, (kidFrames.get(key) || 0) + 1);
        }
      }
      own.set(pid, list.filter((f) => {
        const key = `${f.direction} ${frameText(f) ?? f.preview}`;
        if (kidFrames.get(key) > 0) {
          kidFrames.set(key, kidFrames.get(key) - 1);
          return false;
        }
        return true;
      }));
    }
    // Frames one side wrote that the other never read (only the trace can tell): per parent,
    // what it wrote against what its children read, and what they wrote against what it read.
    const count = (list, direction) => {
      const m = new Map();
      for (const f of list) {
        if (f.direction !== direction) continue;
        const key = frameText(f) ?? f.preview;
        m.set(key, (m.get(key) || 0) + 1);
      }
      return m;
    };
    const parents = new Set([...own.keys()].map((pid) => (info.has(pid) ? info.get(pid).ppid : null)));
    for (const ppid of parents) {
      const kids = [...own.keys()].filter((pid) => (info.has(pid) ? info.get(pid).ppid : null) === ppid);
      const parentFrames = ppid === rootPid ? byPid.get(ppid) || [] : own.has(ppid)
        ? (byPid.get(ppid) || []).filter((f) => !own.get(ppid).includes(f)) : byPid.get(ppid) || [];
      const read = count(parentFrames, 'in');
      for (const pid of kids) {
        for (const f of own.get(pid)) {
          if (f.direction !== 'out') continue;
          const key = frameText(f) ?? f.preview;
          if (read.get(key) > 0) read.set(key, read.get(key) - 1);
          else notes.push({ pid, text: `sent by the child, never read by its parent: ${short(key)}` });
        }
      }
      const written = count(parentFrames, 'out');
      for (const pid of kids) {
        for (const f of own.get(pid)) {
          const key = frameText(f) ?? f.preview;
          if (f.direction === 'in' && written.get(key) > 0) written.set(key, written.get(key) - 1);
        }
      }
      for (const [key, n] of written) {
        if (n > 0) notes.push({ pid: ppid, parentOf: kids, text: `sent to ${kids.length > 1 ? 'one of its children' : 'its child'}, never read (${n}x): ${short(key)}` });
      }
    }
    const byObserved = new Map();
    for (const e of messages) {
      if (!byObserved.has(e.pid)) byObserved.set(e.pid, []);
      byObserved.get(e.pid).push(e);
    }
    for (const [pid, list] of own) {
      const seen = byObserved.get(pid) || [];
      for (const f of list) {
        const u = userMessage(f.message);
        if ('preview' in f) {
          // Over the trace's 64 KiB limit: take the observer's copy of the same message.
          const twin = seen.find((e) => e.direction === f.direction && !e.used &&
                                         JSON.stringify(e.message).slice(0, 1024) === f.preview);
          if (twin) twin.used = true;
          push(pid, { direction: f.direction, message: twin ? twin.message : { '<trace preview>': f.preview } });
        } else if (u.ok) {
          push(pid, { direction: f.direction, message: u.message });
        }
      }
      // Self-check: per direction, the trace and the observer saw the same messages in the same order.
      for (const d of ['in', 'out']) {
        const a = (perPid.get(pid) || []).filter((e) => e.direction === d).map((e) => JSON.stringify(e.message));
        const b = seen.filter((e) => e.direction === d).map((e) => JSON.stringify(e.message));
        const i = firstDifference(a, b);
        if (i !== -1) {
          notes.push({ pid, selfCheck: true, text: `trace and observer disagree on '${d}' #${i + 1}: ` +
                       `trace ${a[i] === undefined ? '(nothing)' : short(a[i])}, observer ${b[i] === undefined ? '(nothing)' : short(b[i])}` });
        }
      }
    }
    for (const e of messages) {
      if (!own.has(e.pid)) {
        notes.push({ pid: e.pid, selfCheck: true, text: `observed but absent from the trace: ${e.direction} ${short(JSON.stringify(e.message))}` });
      }
    }
  } else {
    for (const e of messages) push(e.pid, { direction: e.direction, message: e.message });
  }
  for (const e of exits) {
    if (e.pid !== rootPid) push(e.pid, { direction: 'exit', message: e.code });
  }

  // Name processes by script and start order (first line in the log).
  const order = [...perPid.keys()];
  const counters = new Map();
  const roles = new Map();
  for (const pid of order) roles.set(pid, roleName(info.has(pid) ? info.get(pid).script : null, counters));
  const processes = order.map((pid) => ({
    role: roles.get(pid),
    events: perPid.get(pid).map((e) => ({ direction: e.direction, text: JSON.stringify(norm(e.message)) })),
  }));
  const nameOf = (pid) => roles.get(pid) || (pid === rootPid ? 'next CLI' : `pid ${pid}`);
  const named = notes.map(({ parentOf, ...n }) => ({
    ...n,
    role: parentOf ? `${nameOf(n.pid)} -> ${parentOf.map(nameOf).join(', ')}` : nameOf(n.pid),
    text: norm(n.text),
  }));
  return { processes, notes: named, roles };
}

function short(s, n = 160) {
  s = String(s);
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function firstDifference(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

// ---------------------------------------------------------------------------------------------
// comparison and report

function fit(s, n) {
  if (s === undefined) return ''.padEnd(n);
  return s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n);
}

/**
 * The report: each run's outcome; builtin #1 and deka-ipc side by side, process by process
 * (≠ an event that is part of a divergence, ~ the two differ at this row but nothing is
 * divergent: order or values the builtin runs vary themselves); what was discounted and why;
 * then the divergences, or "no divergence".
 */
function report(opts, runs, verdict, say) {
  const width = opts.width || Math.max(100, process.stdout.columns || 160);
  const ref = runs.find((r) => r.runtime === 'node');
  const deka = runs.find((r) => r.runtime === 'deka-ipc');
  say('');
  for (const r of runs) say(`  ${fit(r.label, 12)} ${r.seconds.toFixed(1).padStart(6)}s  ${r.steps.join('; ')}`);
  say('');
  const roles = [...ref.processes.map((p) => p.role)];
  for (const p of deka.processes) if (!roles.includes(p.role)) roles.push(p.role);
  const roleW = Math.max(8, ...roles.map((r) => r.length));
  const colW = Math.max(20, Math.floor((width - roleW - 20) / 2));
  say(`  ${'#'.padStart(3)}  ${fit('process', roleW)} ${fit('dir', 7)} ${fit(ref.label, colW)} ${fit(deka.label, colW)}`);
  say(`  ${'-'.repeat(Math.min(width - 2, 3 + 2 + roleW + 1 + 7 + 1 + colW * 2 + 2))}`);
  let row = 0;
  const rowOf = new Map(); // `${role}|${index}` -> its row in the table
  const events = (run, role) => (run.processes.find((p) => p.role === role) || { events: [] }).events;
  for (const role of roles) {
    const ea = events(ref, role);
    const eb = events(deka, role);
    for (let i = 0; i < Math.max(ea.length, eb.length); i++) {
      const a = ea[i];
      const b = eb[i];
      const diverges = (a && verdict.marks.has(`${ref.label}|${role}|${i}`)) || (b && verdict.marks.has(`${deka.label}|${role}|${i}`));
      const same = a && b && a.direction === b.direction && a.text === b.text;
      const mark = diverges ? '≠' : same ? ' ' : '~';
      rowOf.set(`${role}|${i}`, row + 1);
      const dir = a && b && a.direction !== b.direction ? `${a.direction}/${b.direction}` : (a || b).direction;
      say(`${mark} ${String(++row).padStart(3)}  ${fit(role, roleW)} ${fit(dir, 7)} ` +
          `${fit(a ? a.text : '(nothing)', colW)} ${b ? short(b.text, colW) : '(nothing)'}`);
    }
  }
  if (!row) say('      (no IPC message in either run)');
  say('');
  const builtinCount = runs.filter((r) => r.runtime === 'node').length;
  say(`Discounted (known of Next.js, or learnt from what differs between the ${builtinCount} builtin runs):`);
  for (const d of verdict.discounted) say(`  - ${d.group}: ${d.what}\n      ${d.why}`);
  say('');
  const notes = runs.flatMap((r) => r.notes.map((n) => ({ ...n, label: r.label })));
  for (const n of notes) say(`  note (${n.label}, ${n.role}): ${n.selfCheck ? 'SELF-CHECK: ' : ''}${n.text}`);
  if (notes.length) say('');
  const selfCheck = runs.some((r) => r.notes.some((n) => n.selfCheck));
  const shown = verdict.divergences.slice(0, 10);
  shown.forEach((d, i) => {
    const where = `${d.role}, message ${d.index + 1}${rowOf.has(`${d.role}|${d.index}`) ? `, row ${rowOf.get(`${d.role}|${d.index}`)}` : ''}`;
    say(`${i === 0 ? 'FIRST DIVERGENCE' : 'DIVERGENCE'} ${i + 1} of ${verdict.divergences.length}: ${d.kind}, ${d.group} (${where})`);
    say(`  ${d.detail}`);
    for (const [label, texts] of [['builtin', d.builtin], [verdict.dekaLabel, d.deka]]) {
      if (texts) say(`  ${fit(label, 9)} ${texts.length ? short(texts.join(' | then '), 1500) : '(nothing)'}`);
    }
  });
  if (verdict.divergences.length > shown.length) say(`(${verdict.divergences.length - shown.length} more divergences: --json has them all)`);
  if (verdict.outcome) {
    say(`OUTCOME DIFFERS: ${deka.label}: ${verdict.outcome.deka.join('; ')} | ` +
        `${verdict.labels.map((l, i) => `${l}: ${verdict.outcome.builtin[i].join('; ')}`).join(' | ')}`);
  }
  if (selfCheck) say('SELF-CHECK FAILED: in the deka-ipc run the trace and the observer disagree (see the notes)');
  if (verdict.ok && !selfCheck) {
    const messages = deka.processes.reduce((s, p) => s + p.events.length, 0);
    say(`no divergence: ${messages} messages in ${deka.processes.length} IPC child process(es) on deka-ipc, ` +
        `each explained by the ${builtinCount} builtin runs once the discounted variation is set aside; same outcome`);
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`repro-next: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
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

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  }, (err) => {
    process.stderr.write(`repro-next: ${err.stack}\n`);
    process.exitCode = 2;
  });
}

module.exports = { parseArgs, normaliser, buildRecord, report };
