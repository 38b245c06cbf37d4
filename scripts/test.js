#!/usr/bin/env node
'use strict';
// `npm test`: (a) the tap unit tests (test/**/*.test.ts, config in .taprc), (b) the compat tree on
// our IPC (--runtime deka-ipc), (c) the compat tree on Node's builtin IPC (--runtime node, the
// oracle). Each part streams its output; then a summary table and a last line
// "N passed, N failed" summed over the parts. Exit code 1 when anything failed.
//
//   node scripts/test.js [unit] [deka-ipc] [node] [--jobs N]   (default: all three parts)
//
// DEKA_COMPAT_JOBS=N also sets the compat runs' parallelism.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const { UsageError, defineCli, runCli } = require('./lib/cli');
const { PROJECT_ROOT: ROOT } = require('./lib/runtime');

const PARTS = ['unit', 'deka-ipc', 'node'];

const cli = defineCli({
  usage: 'node scripts/test.js [unit] [deka-ipc] [node] [--jobs N]   (default: all three parts)',
  positionals: PARTS,
  options: [
    { name: 'jobs', short: 'j', type: 'string', value: '<n>', help: 'compat files run at once (default: DEKA_COMPAT_JOBS, else the runner\'s 2)' },
  ],
});

function banner(title) {
  const line = '═'.repeat(Math.max(10, Math.min(100, (process.stdout.columns || 80) - 1)));
  process.stdout.write(`\n${line}\n  ${title}\n${line}\n`);
}

// Runs a command with our stdout/stderr; with `capture`, stdout is also kept (and passed through).
function run(cmd, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    const chunks = [];
    if (capture) {
      child.stdout.on('data', (c) => {
        chunks.push(c);
        process.stdout.write(c);
      });
    }
    child.on('error', (err) => resolve({ code: null, error: err, stdout: '' }));
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(chunks).toString('utf8') }));
  });
}

function walk(dir, out = []) {
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

// Keep dist/ in step with src/ so the compat runs test the code as it is now (after `npm ci`
// dist/ is already fresh and this costs nothing).
function freshenDist() {
  const srcs = walk(path.join(ROOT, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  if (!srcs.length) return;
  const newest = Math.max(...srcs.map((f) => fs.statSync(f).mtimeMs));
  const outs = walk(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js'));
  const oldest = outs.length ? Math.min(...outs.map((f) => fs.statSync(f).mtimeMs)) : 0;
  if (outs.length && oldest >= newest) return;
  process.stdout.write(`test: dist/ is ${outs.length ? 'older than src/' : 'missing'}: running tsc -p tsconfig.json and scripts/bundle.js\n`);
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.stdout.write('test: tsc failed; the compat runs will use whatever dist/ holds\n');
  else spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.js')], { cwd: ROOT, stdio: 'inherit' });
}

// ---- (a) tap. On a TTY: its usual (base) report, and the counts from the raw TAP it saves with
// --output-file. Elsewhere its report is raw TAP already (and --output-file would print it twice):
// pass it through and read the counts from it.
async function unitPart() {
  const files = walk(path.join(ROOT, 'test')).filter((f) => f.endsWith('.test.ts'));
  if (!files.length) {
    process.stdout.write('test: no test/**/*.test.ts files, nothing to run\n');
    return { name: 'unit (tap)', passed: 0, failed: 0, skipped: 0, note: 'no test files' };
  }
  const tty = process.stdout.isTTY;
  const raw = path.join(ROOT, '.tap', 'unit-raw.tap');
  const args = [];
  if (tty) {
    fs.mkdirSync(path.dirname(raw), { recursive: true });
    fs.rmSync(raw, { force: true });
    args.push(`--output-file=${raw}`);
  }
  const bin = path.join(ROOT, 'node_modules', 'tap', 'dist', 'esm', 'run.mjs');
  const res = fs.existsSync(bin)
    ? await run(process.execPath, [bin, ...args], { capture: !tty })
    : await run('npx', ['tap', ...args], { capture: !tty });
  const text = tty ? (fs.existsSync(raw) ? fs.readFileSync(raw, 'utf8') : '') : res.stdout;
  const counts = countTap(text);
  const part = { name: 'unit (tap)', ...counts };
  if (res.code !== 0 && part.failed === 0) {
    part.failed = 1;
    part.note = `tap exited ${res.code ?? res.signal ?? res.error?.message} without a failed test`;
  }
  return part;
}

// tap 21 ends its raw output with "# { total: N, pass: N, fail: N, todo: N, skip: N }" (leaf
// assertions across all files; a file that dies with no assertion counts as one failure).
// Without it (tap crashed), count the files' top-level "ok"/"not ok" lines.
function countTap(text) {
  const m = /^# \{ total: (\d+)((?:, \w+: \d+)*) \}\s*$/m.exec(text);
  if (m) {
    const f = { total: +m[1] };
    for (const [, k, v] of m[2].matchAll(/(\w+): (\d+)/g)) f[k] = +v;
    return { passed: f.pass || 0, failed: f.fail || 0, skipped: (f.skip || 0) + (f.todo || 0) };
  }
  let passed = 0;
  let failed = 0;
  for (const [, not] of text.matchAll(/^(not )?ok \d+\b/gm)) (not ? failed++ : passed++);
  return { passed, failed, skipped: 0, note: 'no tap summary line; counted test files' };
}

// ---- (b), (c) compat: its own runner, which writes its counts as JSON.
async function compatPart(runtime, jobs) {
  const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deka-compat-')), `${runtime}.json`);
  const args = [path.join(__dirname, 'compat.js'), '--runtime', runtime, '--json', json];
  if (jobs) args.push('--jobs', String(jobs));
  const res = await run(process.execPath, args);
  const part = { name: `compat ${runtime}`, passed: 0, failed: 0, skipped: 0, xfail: 0 };
  try {
    const d = JSON.parse(fs.readFileSync(json, 'utf8'));
    Object.assign(part, { passed: d.passed, failed: d.failed, skipped: d.skipped, xfail: d.xfail });
    if (!d.total) {
      part.failed = 1;
      part.note = 'no compat case matched';
    }
  } catch {
    part.failed = 1;
    part.note = `runner exited ${res.code ?? res.signal} without results`;
  }
  if (res.code !== 0 && part.failed === 0) {
    part.failed = 1;
    part.note = `runner exited ${res.code ?? res.signal}`;
  }
  fs.rmSync(path.dirname(json), { recursive: true, force: true });
  return part;
}

async function main(argv) {
  const { values, positionals } = cli.parse(argv);
  if (values.help) {
    process.stdout.write(`${cli.help()}\n`);
    return 0;
  }
  const opts = { parts: positionals.length ? positionals : PARTS.slice(), jobs: values.jobs || process.env.DEKA_COMPAT_JOBS || null };
  const start = Date.now();
  const results = [];
  if (opts.parts.includes('deka-ipc')) freshenDist();
  for (const p of PARTS.filter((x) => opts.parts.includes(x))) {
    const t0 = Date.now();
    banner(p === 'unit' ? 'unit tests (tap)' : `compat on ${p}${p === 'node' ? " (Node's builtin IPC, the oracle)" : ''}`);
    const r = p === 'unit' ? await unitPart() : await compatPart(p, opts.jobs);
    r.ms = Date.now() - t0;
    results.push(r);
  }

  const rows = results.map((r) => [r.name, r.passed, r.failed, r.skipped, r.xfail ?? '-', `${(r.ms / 1000).toFixed(1)}s`, r.note || '']);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const header = ['part', 'passed', 'failed', 'skipped', 'xfail', 'time', ''];
  const all = [header, ...rows];
  const w = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((v, i) => (i === 0 || i === r.length - 1 ? String(v).padEnd(w[i]) : String(v).padStart(w[i]))).join('  ').trimEnd();
  banner(`summary (${((Date.now() - start) / 1000).toFixed(1)}s)`);
  process.stdout.write(`${[fmt(header), w.map((n) => '-'.repeat(n)).join('  ').trimEnd(), ...rows.map(fmt)].join('\n')}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = failed ? 1 : 0;
}

runCli('test', (argv) => main(argv).catch((err) => {
  if (err instanceof UsageError) throw err;
  process.stderr.write(`test: ${err && err.stack ? err.stack : err}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}), { usage: cli.help });
