'use strict';
// Running one compat case: its own process (group) under the runtime's command, with a timeout,
// its output kept, nothing of it left behind; and the outcome judged against the expectation.

const { PROJECT_ROOT } = require('../lib/runtime');
const { groupMembers, killGroup } = require('../lib/processes');

const SKIP_RE = /^1\.\.0\s*#\s*skip(?:ped)?\s*:?\s*(.*?)\s*$/im;

const running = new Map(); // pgid -> case

const groupAlive = (pgid) => groupMembers(pgid).length > 0;

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

/**
 * pass/fail/skip -> the outcome given the expectation (a reason, or null). With `gate` (--expect)
 * a listed case that passes is a pass, marked `nowPasses`: the team's list is out of date, which
 * is news, not a regression. Without it, it is an XPASS and counts as a failure, so the lists
 * in this repository stay honest — except for a reason that starts with `sometimes:` (the case
 * fails there only under some loads), whose pass is a pass.
 */
function judge(r, expected, { gate = false } = {}) {
  if (!expected) {
    r.outcome = r.status; // pass | fail | skip
    return r;
  }
  r.expected = expected;
  if (r.status === 'fail') {
    r.outcome = 'xfail';
    r.failWhy = r.why;
    r.why = expected;
  } else if (r.status === 'pass' && gate) {
    r.outcome = 'pass';
    r.nowPasses = true;
  } else if (r.status === 'pass' && /^sometimes:/.test(expected)) {
    // Listed as failing only sometimes on this runtime (an outcome that depends on load, not
    // on the runtime's code): a pass is a pass, reported with the listing.
    r.outcome = 'pass';
  } else if (r.status === 'pass') {
    r.outcome = 'xpass';
    r.why = `expected to fail (${expected}) but passed — remove it from the list`;
  } else {
    r.outcome = 'skip';
  }
  return r;
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

module.exports = { running, runCase, judge, installSignalHandlers };
