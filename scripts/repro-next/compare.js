'use strict';
// The comparison of repro:next (issue 15): recorded IPC sequences of several runs of the same
// Next.js app on Node's builtin IPC, and one on deka-ipc. What differs between the builtin runs
// is Next.js's own nondeterminism (pages rendered concurrently, async components finishing in
// file-read order, jest-worker giving a call to whichever worker is idle); it is learnt from
// them, listed, and discounted. Whatever the deka-ipc run does that no builtin run explains is a
// divergence. Pure functions over records; scripts/repro-next.js makes the records.
//
// A record: { label, steps: [string], processes: [{ role, events: [{ direction, text }] }] }
//   role: '<script dir>/<script>#<n>' (start order), direction: 'in' | 'out' | 'exit',
//   text: the normalised message as JSON (for 'exit', the exit code).

// ---------------------------------------------------------------------------------------------
// what is known about Next.js without looking at any run

/**
 * jest-worker (next build's static check, page export and webpack workers): the parent issues
 * independent calls concurrently (one per page, one per batch of pages) and hands each to
 * whichever worker is idle; a worker answers one call before it gets the next. So a call and
 * the child's answers to it (its "exchange") belong together, but which worker of the pool gets
 * it, and when, is scheduling. The pool is compared as a multiset of exchanges.
 */
const JEST_WORKER = /^jest-worker\/processChild#\d+$/;
const JEST_WORKER_WHY = 'jest-worker gives each call to whichever worker is idle, and next issues ' +
  'the calls concurrently: which worker gets a call, and in what order, is scheduling';

/**
 * Arrays whose order carries nothing: compared as multisets in every run (matched against the
 * message path, list indices written [*]). Object keys are never ordered: see canonical().
 */
const KNOWN_ORDER_FREE = [
  { path: /(^|\.)buildTraceContext\./, name: 'any list under buildTraceContext',
    why: 'webpack\'s entry and chunk traces (entriesTrace, chunksTrace): collected as modules and chunks finish, in parallel' },
  { path: /(^|\.)pluginState\./, name: 'any list under pluginState',
    why: 'the state next\'s webpack plugins share between compilers (route types, client entries, server actions): filled as modules are built, in parallel' },
];

/**
 * Values Next.js sets by an order of its own: read '<varies>' in every run. `key`: the last key
 * of the path (checked first, it is cheap).
 */
const KNOWN_VARYING = [
  { key: 'moduleId', path: /(^|\.)pluginState\.(rsc|ssr|edgeRsc|edgeSsr)Modules\..*\.moduleId$/,
    name: 'moduleId in pluginState\'s rscModules/ssrModules maps',
    why: 'next\'s flight plugin maps each file to a webpack module id, the last write winning as it walks the ' +
      'modules; a file bundled as two modules gets either id (seen in two plain webpack builds: ' +
      'app-page/module.compiled.js 9227 vs 75769)' },
];

// ---------------------------------------------------------------------------------------------
// JSON helpers

const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** An array of records is a list (its index generalises to [*]); anything else is a tuple. */
const isList = (a) => a.length > 0 && a.every(isRecord);
const stable = (v) => JSON.stringify(v);

/** Deep equality of JSON values (key order aside). */
function equal(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function short(s, n = 160) {
  s = String(s);
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** A multiset's content, independent of order. */
function sortedTexts(list) {
  return list.map(stable).sort();
}

/**
 * Every difference between a and b, as { path, kind, a, b }: kind 'order' (an array with the
 * same elements in another order), 'size' (an array of another length), 'presence' (a key only
 * one side has), 'value' (anything else). Paths generalise list indices to [*].
 */
function differences(a, b, at = '', out = []) {
  if (equal(a, b)) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push({ path: at, kind: 'size', a: `${a.length} elements`, b: `${b.length} elements` });
      return out;
    }
    const sa = sortedTexts(a);
    const sb = sortedTexts(b);
    if (sa.every((x, i) => x === sb[i])) {
      out.push({ path: at, kind: 'order', a: short(stable(a), 80), b: short(stable(b), 80) });
      return out;
    }
    const list = isList(a) && isList(b);
    for (let i = 0; i < a.length; i++) differences(a[i], b[i], `${at}[${list ? '*' : i}]`, out);
    return out;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a) || !(k in b)) out.push({ path: `${at}.${k}`, kind: 'presence', a: k in a ? 'present' : 'absent', b: k in b ? 'present' : 'absent' });
      else differences(a[k], b[k], `${at}.${k}`, out);
    }
    return out;
  }
  out.push({ path: at, kind: 'value', a: short(stable(a), 80), b: short(stable(b), 80) });
  return out;
}

/** The first difference, readable: "[1][2].result.htmlSize: 6434 vs 6433". */
function firstDifference(a, b) {
  const d = differences(a, b)[0];
  if (!d) return null;
  return `${d.path || '(the whole message)'}${d.kind === 'value' ? '' : ` (${d.kind})`}: ${d.a} vs ${d.b}`;
}

// ---------------------------------------------------------------------------------------------
// noise: what the builtin runs show varies, and how a value is made blind to it

/**
 * Noise: what the builtin runs show to vary, per group (a pool, or a process and direction),
 * direction and path: { group, direction, path, kind, seen, example }. Kinds: 'value' and
 * 'size' (the value reads '<varies>'), 'presence' (the key is dropped), 'order' (the array is
 * sorted). A path seen first as 'order' and later with other content becomes 'value'.
 */
class Noise {
  constructor() {
    this.rules = new Map(); // `${group}|${direction}` -> Map path -> rule
    this.versions = new Map(); // `${group}|${direction}` -> how often its rules changed
    this.size = 0; // changes in all
  }

  add(group, direction, d, example) {
    const k = `${group}|${direction}`;
    if (!this.rules.has(k)) this.rules.set(k, new Map());
    const paths = this.rules.get(k);
    const rule = paths.get(d.path);
    if (rule && !(rule.kind === 'order' && (d.kind === 'value' || d.kind === 'size'))) {
      rule.seen++;
      return;
    }
    if (rule) rule.kind = d.kind;
    else paths.set(d.path, { group, direction, path: d.path, kind: d.kind, seen: 1, example });
    this.versions.set(k, (this.versions.get(k) || 0) + 1);
    this.size++;
  }

  of(group, direction) {
    return this.rules.get(`${group}|${direction}`) || EMPTY;
  }

  version(group, direction) {
    return this.versions.get(`${group}|${direction}`) || 0;
  }

  * all() {
    for (const paths of this.rules.values()) yield* paths.values();
  }
}
const EMPTY = new Map();

/**
 * The value as it is compared: keys sorted (an object's key order is insertion order in next's
 * code, not something a channel could change), known order-free lists sorted, the noise
 * discounted.
 */
function canonical(value, group, direction, noise, at = '') {
  return canonicalIn(value, noise.of(group, direction), at);
}

function canonicalIn(value, rules, at, key) {
  const rule = rules.get(at);
  if (rule && (rule.kind === 'value' || rule.kind === 'size')) return '<varies>';
  if (key !== undefined && KNOWN_VARYING.some((k) => k.key === key && k.path.test(at))) return '<varies>';
  if (Array.isArray(value)) {
    const list = isList(value);
    const items = value.map((x, i) => canonicalIn(x, rules, `${at}[${list ? '*' : i}]`));
    const orderFree = (rule && rule.kind === 'order') || KNOWN_ORDER_FREE.some((k) => k.path.test(at));
    if (!orderFree) return items;
    return items.map((x) => [stable(x), x]).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, x]) => x);
  }
  if (isRecord(value)) {
    const o = {};
    for (const [k, v] of Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      const p = `${at}.${k}`;
      const r = rules.get(p);
      if (r && r.kind === 'presence') continue;
      o[k] = canonicalIn(v, rules, p, k);
    }
    return o;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// from a record to groups of units

/**
 * Groups of one record: Map key -> { key, ordered, why, units: [unit] }, a unit being
 * { events: [{ direction, value, role, index }] } (index: the event's place in its process).
 * jest-worker processes: one unordered group per pool (the module the workers load), of
 * exchanges (a message to the child and what the child sends until the next one). Any other
 * process: one ordered group per direction, of single messages (the in/out interleaving is
 * timing; within a direction the order is the channel's).
 */
function groupsOf(record) {
  const groups = new Map();
  const group = (key, ordered, why) => {
    if (!groups.has(key)) groups.set(key, { key, ordered, why, units: [], workers: new Set() });
    return groups.get(key);
  };
  for (const p of record.processes) {
    const events = p.events.map((e, index) => ({ direction: e.direction, value: parse(e.text), role: p.role, index }));
    if (JEST_WORKER.test(p.role)) {
      const init = events.find((e) => e.direction === 'in');
      const module = init && Array.isArray(init.value) && init.value[0] === 0 && typeof init.value[2] === 'string'
        ? init.value[2] : '?';
      const g = group(`${p.role.replace(/#\d+$/, '')} pool (${module})`, false, JEST_WORKER_WHY);
      g.workers.add(p.role);
      let unit = null;
      for (const e of events) {
        if (e.direction === 'in' || !unit) {
          unit = { events: [] };
          g.units.push(unit);
        }
        unit.events.push(e);
      }
    } else {
      for (const e of events) group(`${p.role} ${e.direction}`, true, null).units.push({ events: [e] });
    }
  }
  return groups;
}

/** An event's canonical value and its text, cached until its group's noise changes. */
function canon(e, group, noise) {
  const version = noise.version(group, e.direction);
  if (!e.canon || e.canon.version !== version) {
    const value = canonical(e.value, group, e.direction, noise);
    e.canon = { version, value, text: stable(value) };
  }
  return e.canon;
}

function unitText(unit, group, noise) {
  return `[${unit.events.map((e) => `[${stable(e.direction)},${canon(e, group, noise).text}]`).join(',')}]`;
}

/** A call's name, for messages: "isPageStatic /blog/[slug]", or the message cut short. */
function unitName(unit) {
  const e = unit.events[0];
  const v = e.value;
  if (Array.isArray(v) && v[0] === 1 && typeof v[2] === 'string') {
    const arg = Array.isArray(v[3]) && isRecord(v[3][0]) ? v[3][0] : null;
    const what = arg && (arg.page || arg.pathname || (Array.isArray(arg.exportPaths) && `${arg.exportPaths.length} paths`));
    return `call ${v[2]}${what ? ` ${what}` : ''}`;
  }
  if (Array.isArray(v) && v[0] === 0 && e.direction === 'in' && typeof v[2] === 'string') return `worker init ${v[2]}`;
  if (Array.isArray(v) && v[0] === 2 && e.direction === 'in') return 'worker end';
  return `${e.direction} ${short(stable(v), 100)}`;
}

// ---------------------------------------------------------------------------------------------
// pairing units of two runs

/**
 * Pairs the units of a and b: equal texts first, then (for what is left) the most alike among
 * units that start with the same kind of message. Returns { pairs: [[i, j]], onlyA, onlyB }.
 */
function pairUnits(a, b, key, noise) {
  const ta = a.map((u) => unitText(u, key, noise));
  const tb = b.map((u) => unitText(u, key, noise));
  const free = new Map();
  tb.forEach((t, j) => {
    if (!free.has(t)) free.set(t, []);
    free.get(t).push(j);
  });
  const pairs = [];
  const restA = [];
  ta.forEach((t, i) => {
    const js = free.get(t);
    if (js && js.length) pairs.push([i, js.shift()]);
    else restA.push(i);
  });
  const takenB = new Set(pairs.map(([, j]) => j));
  let restB = tb.map((_, j) => j).filter((j) => !takenB.has(j));
  const sig = (u) => {
    const e = u.events[0];
    const v = e.value;
    return `${e.direction} ${Array.isArray(v) ? stable(v.slice(0, 3).filter((x) => typeof x !== 'object')) : isRecord(v) ? Object.keys(v).sort().join(',') : typeof v}`;
  };
  const candidates = [];
  for (const i of restA) {
    for (const j of restB) {
      if (sig(a[i]) !== sig(b[j])) continue;
      candidates.push({ i, j, cost: unitCost(a[i], b[j], key, noise) });
    }
  }
  candidates.sort((x, y) => x.cost - y.cost || x.i - y.i || x.j - y.j);
  const usedA = new Set();
  const usedB = new Set();
  for (const c of candidates) {
    if (usedA.has(c.i) || usedB.has(c.j)) continue;
    usedA.add(c.i);
    usedB.add(c.j);
    pairs.push([c.i, c.j]);
  }
  restB = restB.filter((j) => !usedB.has(j));
  return { pairs, onlyA: restA.filter((i) => !usedA.has(i)), onlyB: restB };
}

function unitCost(x, y, key, noise) {
  let cost = Math.abs(x.events.length - y.events.length) * 10;
  for (let k = 0; k < Math.min(x.events.length, y.events.length); k++) {
    const ex = x.events[k];
    const ey = y.events[k];
    if (ex.direction !== ey.direction) cost += 10;
    else if (canon(ex, key, noise).text !== canon(ey, key, noise).text) cost += differences(canon(ex, key, noise).value, canon(ey, key, noise).value).length;
  }
  return cost;
}

// ---------------------------------------------------------------------------------------------
// learning the noise from the builtin runs

/**
 * Compares builtin run #1 with each other builtin run, group by group, and returns what varies:
 * { noise (a Noise), orderFree: Map group -> why, counts: Map group -> why }. Repeats while it
 * learns something (pairing gets better as the noise is discounted). A group whose runs keep
 * different numbers of messages is in `counts`, and compared leniently.
 */
function learnNoise(builtinGroups, labels) {
  const noise = new Noise();
  const orderFree = new Map();
  const counts = new Map();
  const note = (group, direction, d, from) => noise.add(group, direction, d, `${labels[0]} ${d.a} vs ${from} ${d.b}`);
  const [ref, ...others] = builtinGroups;
  for (let round = 0; round < 4; round++) {
    const before = noise.size + orderFree.size + counts.size;
    others.forEach((other, n) => {
      const from = labels[n + 1];
      for (const key of new Set([...ref.keys(), ...other.keys()])) {
        const ga = ref.get(key);
        const gb = other.get(key);
        if (!ga || !gb) {
          counts.set(key, `only in ${ga ? labels[0] : from} (of ${labels[0]} and ${from})`);
          continue;
        }
        const { pairs, onlyA, onlyB } = pairUnits(ga.units, gb.units, key, noise);
        for (const [i, j] of pairs) {
          const ua = ga.units[i];
          const ub = gb.units[j];
          if (ua.events.length !== ub.events.length) {
            counts.set(key, `${unitName(ua)}: ${ua.events.length} messages in ${labels[0]}, ${ub.events.length} in ${from}`);
            continue;
          }
          ua.events.forEach((ea, k) => {
            const eb = ub.events[k];
            if (ea.direction !== eb.direction) return;
            if (canon(ea, key, noise).text === canon(eb, key, noise).text) return;
            for (const d of differences(canon(ea, key, noise).value, canon(eb, key, noise).value)) {
              note(key, ea.direction, d, from);
            }
          });
        }
        if (onlyA.length || onlyB.length) {
          counts.set(key, `${onlyA.length + onlyB.length} message(s) without a twin: ${labels[0]} ${ga.units.length}, ${from} ${gb.units.length}`);
        }
        if (ga.ordered && !orderFree.has(key) && !onlyA.length && !onlyB.length && round > 0) {
          const ta = ga.units.map((u) => unitText(u, key, noise));
          const tb = gb.units.map((u) => unitText(u, key, noise));
          if (ta.some((t, i) => t !== tb[i])) orderFree.set(key, `the order differs between ${labels[0]} and ${from}`);
        }
      }
    });
    if (noise.size + orderFree.size + counts.size === before && round > 0) break;
  }
  return { noise, orderFree, counts };
}

// ---------------------------------------------------------------------------------------------
// the verdict

/**
 * Compares the deka-ipc record with the builtin ones, each group against the builtin run it is
 * closest to. Returns { ok, divergences: [...], discounted: [...], outcome, marks, labels,
 * dekaLabel }:
 * - divergence: see divergence() — kind 'missing' | 'extra' | 'changed' | 'reordered', in
 *   deka-ipc's order (process start order, then message order);
 * - discounted: { group, what, why } — each thing the builtin runs vary, or a known rule applied;
 * - outcome: null, or { builtin: [steps...], deka: steps } when the run's outcome matches none;
 * - marks: Map `${label}|${role}|${index}` -> '≠' for events that are part of a divergence.
 */
function compareRecords({ builtin, deka }) {
  if (!builtin.length) throw new Error('compareRecords needs at least one builtin record');
  const labels = builtin.map((r, i) => r.label || `builtin #${i + 1}`);
  const dekaLabel = deka.label || 'deka-ipc';
  const builtinGroups = builtin.map(groupsOf);
  const dekaGroups = groupsOf(deka);
  const { noise, orderFree, counts } = learnNoise(builtinGroups, labels);

  const discounted = [];
  const pools = new Map();
  [...builtinGroups, dekaGroups].forEach((gs, r) => {
    for (const g of gs.values()) {
      if (g.ordered) continue;
      if (!pools.has(g.key)) pools.set(g.key, { why: g.why, workers: [] });
      pools.get(g.key).workers.push(`${[...labels, dekaLabel][r]} ${g.workers.size}`);
    }
  });
  for (const [key, p] of pools) {
    discounted.push({ group: key, what: `compared as a multiset of call exchanges over its workers (workers: ${p.workers.join(', ')})`, why: `known: ${p.why}` });
  }
  for (const k of KNOWN_ORDER_FREE) discounted.push({ group: 'all messages', what: `element order of ${k.name} (compared as a multiset)`, why: `known: ${k.why}` });
  for (const k of KNOWN_VARYING) discounted.push({ group: 'all messages', what: `value of ${k.name}`, why: `known: ${k.why}` });
  discounted.push({ group: 'all messages', what: 'key order of objects', why: 'known: insertion order in next\'s code; JSON on a channel keeps it, so only the app can change it' });
  for (const [key, why] of orderFree) discounted.push({ group: key, what: 'message order (compared as a multiset)', why: `learnt: ${why}` });
  for (const n of noise.all()) {
    const what = { value: 'value', size: 'size/content', presence: 'presence of key', order: 'element order' }[n.kind];
    discounted.push({ group: n.group, what: `${what} at ${n.direction} ${n.path || '(the whole message)'}`, why: `learnt: differs between builtin runs ${n.seen} time(s), e.g. ${n.example}` });
  }
  for (const [key, why] of counts) discounted.push({ group: key, what: 'number of messages (compared leniently: each deka-ipc message must occur in some builtin run)', why: `learnt: ${why}` });

  // Group by group: deka-ipc against the builtin run it is closest to.
  const divergences = [];
  const marks = new Map();
  const keys = [...new Set([...dekaGroups.keys(), ...builtinGroups.flatMap((gs) => [...gs.keys()])])];
  for (const key of keys) {
    const gd = dekaGroups.get(key) || { key, ordered: true, units: [] };
    let best = null;
    builtinGroups.forEach((gs, r) => {
      const gb = gs.get(key) || { key, ordered: gd.ordered, units: [] };
      const found = compareGroup(key, gb, gd, { noise, orderFree, counts, builtinGroups }, labels[r], dekaLabel);
      if (!best || found.length < best.found.length) best = { found, label: labels[r] };
    });
    for (const d of best.found) {
      divergences.push(d);
      for (const e of d.dekaEvents || []) marks.set(`${dekaLabel}|${e.role}|${e.index}`, '≠');
      for (const e of d.builtinEvents || []) marks.set(`${best.label}|${e.role}|${e.index}`, '≠');
    }
  }
  const position = new Map(deka.processes.map((p, i) => [p.role, i]));
  const at = (d) => [position.has(d.role) ? position.get(d.role) : 1e9, d.index ?? 0];
  divergences.sort((x, y) => at(x)[0] - at(y)[0] || at(x)[1] - at(y)[1]);

  const same = (a, b) => a.length === b.length && a.every((s, i) => s === b[i]);
  const builtinSteps = builtin.map((r) => r.steps || []);
  let outcome = null;
  if (!builtinSteps.some((s) => same(s, deka.steps || []))) outcome = { builtin: builtinSteps, deka: deka.steps || [] };
  if (builtinSteps.some((s) => !same(s, builtinSteps[0]))) {
    discounted.push({ group: 'outcome', what: 'the run\'s outcome (deka-ipc must match one builtin run)', why: `learnt: the builtin runs end differently: ${builtinSteps.map((s, i) => `${labels[i]}: ${s.join('; ')}`).join(' | ')}` });
  }
  return { ok: !divergences.length && !outcome, divergences, discounted, outcome, marks, labels, dekaLabel };
}

/** Divergences of one group: deka-ipc's units against one builtin run's. */
function compareGroup(key, gb, gd, learnt, builtinLabel, dekaLabel) {
  const { noise, orderFree, counts, builtinGroups } = learnt;
  const out = [];
  const texts = (units) => units.map((u) => unitText(u, key, noise));
  const tb = texts(gb.units);
  const td = texts(gd.units);
  if (counts.has(key)) {
    // Lenient: every deka-ipc message must occur in some builtin run, and every message all
    // builtin runs have must occur in deka-ipc.
    const anywhere = new Set(builtinGroups.flatMap((gs) => (gs.get(key) ? texts(gs.get(key).units) : [])));
    const everywhere = builtinGroups.map((gs) => new Set(gs.get(key) ? texts(gs.get(key).units) : []));
    const dekaSet = new Set(td);
    gd.units.forEach((u, i) => {
      if (!anywhere.has(td[i])) out.push(divergence('extra', key, u, null, u, `${dekaLabel} has ${unitName(u)}, which no builtin run has`));
    });
    gb.units.forEach((u, i) => {
      if (everywhere.every((s) => s.has(tb[i])) && !dekaSet.has(tb[i])) out.push(divergence('missing', key, u, u, null, `every builtin run has ${unitName(u)}; ${dekaLabel} has not`));
    });
    return dedupe(out);
  }
  const { pairs, onlyA, onlyB } = pairUnits(gb.units, gd.units, key, noise);
  for (const [i, j] of pairs) {
    if (tb[i] === td[j]) continue;
    const ub = gb.units[i];
    const ud = gd.units[j];
    const diff = unitDiff(ub, ud, key, noise, builtinLabel, dekaLabel);
    out.push(divergence('changed', key, ud, ub, ud, `${unitName(ub)}: ${diff.text}`, diff.at));
  }
  for (const i of onlyA) out.push(divergence('missing', key, gb.units[i], gb.units[i], null, `${unitName(gb.units[i])}: in ${builtinLabel}, not in ${dekaLabel}`));
  for (const j of onlyB) out.push(divergence('extra', key, gd.units[j], null, gd.units[j], `${unitName(gd.units[j])}: in ${dekaLabel}, not in ${builtinLabel}`));
  if (!out.length && gb.ordered && !orderFree.has(key)) {
    const k = tb.findIndex((t, i) => t !== td[i]);
    if (k !== -1) {
      const ub = gb.units[k];
      const ud = gd.units[k];
      out.push(divergence('reordered', key, ud, ub, ud, `message #${k + 1}: ${builtinLabel} has ${unitName(ub)} here, ${dekaLabel} ${unitName(ud)} (same messages, another order; every builtin run keeps one order)`));
    }
  }
  return out;
}

/**
 * One divergence. `at`: the message of the unit where it shows (its first difference); role and
 * index locate it in the deka-ipc run (or in the builtin one when deka-ipc lacks the unit);
 * builtin/deka: that message and the one after it, of each side, as "in|out <json>".
 */
function divergence(kind, group, unit, ub, ud, detail, at = 0) {
  const texts = (u) => (u ? u.events.slice(at, at + 2).map((e) => `${e.direction} ${stable(e.value)}`) : null);
  const where = unit.events[Math.min(at, unit.events.length - 1)];
  return {
    kind, group, unit, role: where.role, index: where.index, at, name: unitName(unit), detail,
    builtin: texts(ub), deka: texts(ud), builtinEvents: ub ? ub.events : [], dekaEvents: ud ? ud.events : [],
  };
}

function dedupe(list) {
  const seen = new Set();
  return list.filter((d) => {
    const k = `${d.kind} ${d.detail}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Where two units (exchanges) first differ, once the noise is discounted: { text, at }. */
function unitDiff(ub, ud, key, noise, builtinLabel, dekaLabel) {
  const nb = ub.events.length;
  const nd = ud.events.length;
  const count = nb === nd ? '' : ` (${nb} messages in ${builtinLabel}, ${nd} in ${dekaLabel})`;
  for (let k = 0; k < Math.max(nb, nd); k++) {
    const eb = ub.events[k];
    const ed = ud.events[k];
    const show = (e) => (e ? `${e.direction} ${short(stable(e.value), 120)}` : '(nothing)');
    if (!eb || !ed || eb.direction !== ed.direction) {
      return { at: k, text: `message ${k + 1}: ${builtinLabel} ${show(eb)}, ${dekaLabel} ${show(ed)}${count}` };
    }
    const d = firstDifference(canon(eb, key, noise).value, canon(ed, key, noise).value);
    if (d) return { at: k, text: `${nb > 1 ? `message ${k + 1} ('${eb.direction}') ` : ''}differs at ${d}${count}` };
  }
  return { at: 0, text: `differs${count}` };
}

module.exports = { compareRecords, differences, firstDifference, canonical, groupsOf, learnNoise, KNOWN_ORDER_FREE, KNOWN_VARYING };
