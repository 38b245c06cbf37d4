'use strict';
// The columns of a matrix: one compat run (scripts/compat.js of a line's copy, under that line's
// node, with a runtime) each; bun and deno as found or given.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { UsageError } = require('../lib/cli');
const { isExecutable, onPath } = require('../lib/runtime');
const { fmtMs, tailLines } = require('../lib/format');
const { run } = require('./exec');

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
    return { ...col, error: why, log: logRel, errorOutput: tailLines(r.output, 40).join('\n') };
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

module.exports = { runColumn, otherRuntime };
