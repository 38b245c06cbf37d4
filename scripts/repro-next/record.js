'use strict';
// From a run's logs (the observer's observe.jsonl, deka-ipc's trace) to comparable sequences:
// processes named by script and start order, messages normalised (pids, port, paths, buildId,
// durations), and notes on what only the trace can see.

const fs = require('node:fs');
const path = require('node:path');
const { readLines } = require('./processes');

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

module.exports = { normaliser, buildRecord, short };
