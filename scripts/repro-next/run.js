'use strict';
// One run of repro:next: a copy of the app, `next dev` or `next build` in it under Node's builtin
// IPC or deka-ipc with the IPC observer preloaded, the handshakes and requests, then every
// process of it ended, and its record (record.js).

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { UsageError } = require('../lib/cli');
const { PROJECT_ROOT: ROOT, REGISTER, withoutOurPreload, requireOption } = require('../lib/runtime');
const { sleep, within, readLines, freePort, get, poll, groupMembers, processesIn } = require('./processes');
const { buildRecord } = require('./record');

const OBSERVER = path.join(ROOT, 'compat', 'fixtures', 'ipc-observer.js');
const FIXTURE_APP = path.join(ROOT, 'compat', 'phase5-nextjs', 'app');
const FIXTURE_TMP = path.join(ROOT, 'compat', 'phase5-nextjs', '.compat-tmp');
const COPY_SKIP = new Set(['node_modules', '.next', '.git', '.deka-repro', '.compat-tmp',
  'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb']);
const CONFIG_FILES = ['next.config.js', 'next.config.mjs', 'next.config.cjs', 'next.config.ts', 'next.config.mts'];

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
  const nodeOptions = [withoutOurPreload(process.env.NODE_OPTIONS, [OBSERVER]), ...preloads.map(requireOption)]
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

module.exports = { FIXTURE_APP, copyBase, onSignal, runOnce };
