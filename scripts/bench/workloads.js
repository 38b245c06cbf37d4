'use strict';
// The measured programs of `npm run bench`. Run as
//   node [--require register.js] scripts/bench/workloads.js <workload> <quick 0|1>
// it forks itself as the peer (through whichever child_process the runtime gives), runs one
// workload and prints one JSON line with its figures. The same code runs on every runtime.
//
// Each workload also says how scripts/bench.js shows it: `figures` are its table rows (result
// key, unit, target), `setting` how the runtime is started (idle machine, pinned to one core,
// every core busy), and `external` marks the one bench.js measures itself (preload start-up).
// Targets are issue 6's, tightened by issue 14, and issue 13's:
//   ['ratio', op, x]  deka-ipc / node ≥ or ≤ x
//   ['value', op, x]  deka-ipc's own figure ≥ or ≤ x
//   ['delta', op, x]  deka-ipc − node ≥ or ≤ x (in the row's unit)

const { fork } = require('child_process');

const [, , workload, quickArg, role] = process.argv;
const quick = quickArg === '1';

const roundTrip = (setting, target, withP99) => ({
  mode: 'json',
  setting,
  figures: [
    { key: 'p50Us', label: 'p50', unit: 'µs', better: 'lower', target },
    ...(withP99 ? [{ key: 'p99Us', label: 'p99', unit: 'µs', better: 'lower' }] : []),
  ],
  // Busy cores can stretch a round trip to milliseconds: stop after a few seconds whatever the count.
  run: () => pingPong(quick ? 2000 : 20000, quick ? 1 : 4),
});

// A workload measured by one figure (throughput, or RSS growth) in one serialization mode.
const oneFigure = (mode, key, unit, better, target, run) => ({ mode, figures: [{ key, unit, better, target }], run });
const messagesPerSecond = (mode, target, run) => oneFigure(mode, 'messagesPerSecond', 'msg/s', 'higher', target, run);
const mbPerSecond = (mode, target, run) => oneFigure(mode, 'mbPerSecond', 'MB/s', 'higher', target, run);
const rssGrowth = (mode, run) => oneFigure(mode, 'rssGrowthRatio', '× msg size', 'lower', ['value', '<=', 2], run);

const timerGapUnderFlood = (mode) => ({
  mode,
  figures: [{ key: 'maxGapMs', label: 'max gap', unit: 'ms', better: 'lower', target: ['ratio', '<=', 2] }],
  run: () => timerGap(mode, quick ? 1 : 3, 4),
});

const workloads = {
  // 1. 64 B strings, 256 in flight, the child echoes: messages per second.
  'pipeline-64b-json': messagesPerSecond('json', ['ratio', '>=', 2.5], () => pipeline('x'.repeat(64), quick ? 20000 : 200000, 256)),
  // 2. 64 KiB strings, pipelined: MB/s of payload (one way).
  'pipeline-64k-json': mbPerSecond('json', ['ratio', '>=', 3], () => pipeline('y'.repeat(65536), quick ? 300 : 4000, 16)),
  // 3. 1 MiB strings flooded by the child while send() says true: MB/s received.
  'flood-1m-json': mbPerSecond('json', ['ratio', '>=', 7], () => flood(quick ? 100 : 400)),
  // 4. 64 KiB strings, pipelined, advanced serialization.
  'pipeline-64k-advanced': mbPerSecond('advanced', ['ratio', '>=', 3], () => pipeline('z'.repeat(65536), quick ? 300 : 4000, 16)),
  // 5. one 64 B message at a time: round-trip latency with idle cores, with parent and child
  //    pinned to one core (`taskset -c 0`), and with a CPU hog on every core.
  'pingpong-64b-json': roundTrip('idle', ['ratio', '<=', 0.5], true),
  'pingpong-64b-json-onecore': roundTrip('onecore', ['ratio', '<=', 1]),
  'pingpong-64b-json-busy': roundTrip('busy', ['ratio', '<=', 1]),
  // 6. a realistic RPC object (~300 B), pipelined, both modes.
  'rpc-json': messagesPerSecond('json', ['ratio', '>=', 2], () => pipeline(rpcMessage(), quick ? 20000 : 150000, 256)),
  'rpc-advanced': messagesPerSecond('advanced', ['ratio', '>=', 2], () => pipeline(rpcMessage(), quick ? 20000 : 150000, 256)),
  // 7. peak RSS growth of a process receiving one 64 MiB message.
  'rss-64m-json': rssGrowth('json', () => receiveBig(quick ? 8 : 64)),
  'rss-64m-advanced': rssGrowth('advanced', () => receiveBig(quick ? 8 : 64)),
  // 8. CPU time of parent and child per request/response at a steady 1 kHz (64 B, timer-driven).
  'cpu-1khz-json': {
    mode: 'json',
    figures: [
      { key: 'parentUsPerRequest', label: 'parent', unit: 'µs CPU/req', better: 'lower', target: ['ratio', '<=', 1] },
      { key: 'childUsPerRequest', label: 'child', unit: 'µs CPU/req', better: 'lower', target: ['ratio', '<=', 1] },
    ],
    run: () => cpuAtOneKilohertz(quick ? 1 : 3, quick ? 0.1 : 0.3),
  },
  // 9. the longest gap of a 10 ms timer while the parent reads 4 children flooding 64 B messages
  //    for 3 s.
  'timergap-flood4-json': timerGapUnderFlood('json'),
  'timergap-flood4-advanced': timerGapUnderFlood('advanced'),
  // 11. issue 23: what a child costs to start. fork → the child's first message, median of 30
  //     forks one after the other (each child gone before the next); and the first fork() of a
  //     fresh parent, where deka-ipc also loads its addon and protocol (one sample per process).
  'fork-first-message': {
    mode: 'json',
    figures: [{ key: 'medianMs', label: 'median', unit: 'ms', better: 'lower', target: ['ratio', '<=', 1.05] }],
    run: () => forkToFirstMessage(quick ? 8 : 30),
  },
  'fork-first-in-parent': {
    mode: 'json',
    samplesPerRound: 6,
    figures: [{ key: 'firstMs', label: 'first fork', unit: 'ms', better: 'lower', target: ['delta', '<=', 10] }],
    run: () => forkToFirstMessage(1),
  },
  // 12. fan-in: 160k × 64 B json messages from N children together, forks included: msg/s.
  'fanin-1-json': fanIn(1, ['ratio', '>=', 2]),
  'fanin-4-json': fanIn(4, ['ratio', '>=', 2]),
  'fanin-16-json': fanIn(16, ['ratio', '>=', 2]),
  'fanin-64-json': fanIn(64, ['ratio', '>=', 1.5]),
  // 13. the timer gap under 4 floods, as issue 23 states it: children send `{ i }` in batches of
  //     1,000 per setImmediate, the batch's last with a callback that schedules the next batch;
  //     the gap counts from the first 1,000 messages received.
  'timergap-batches4-json': timerGapUnderBatches('json'),
  'timergap-batches4-advanced': timerGapUnderBatches('advanced'),
  // 14. objects holding one string, `{ payload: '.'.repeat(len) }`, 256 in flight, echoed:
  //     round trips per second.
  ...objectGrid('json', ['ratio', '>=', 3]),
  ...objectGrid('advanced', ['ratio', '>=', 4]),
  // 10. start-up of `node -r deka-ipc/register empty.js` over `node empty.js`: CPU and peak RSS
  //     of the whole process, timed by bench.js (deka-ipc and node only).
  'startup-preload': startup('register', true),
  //     For reference, the same with an empty file as the preload (what any preload at all
  //     costs; on 24 and 26, with a long enough path, a second file at start-up is enough for
  //     V8's first Maglev compile, ~3 MiB, which any program of two modules pays by itself),
  //     and with a file that only requires child_process: the floor under the row above for a
  //     preload that replaces fork before the program runs.
  'startup-empty-preload': startup('empty', false),
  'startup-child-process-preload': startup('child_process', false),
};

function fanIn(children, target) {
  return {
    mode: 'json',
    figures: [{ key: 'messagesPerSecond', unit: 'msg/s', better: 'higher', target }],
    run: () => fanInRun(children, quick ? 32000 : 160000),
  };
}

function timerGapUnderBatches(mode) {
  return {
    mode,
    figures: [{ key: 'maxGapMs', label: 'max gap', unit: 'ms', better: 'lower', target: ['ratio', '<=', 1.5] }],
    run: () => timerGap(mode, quick ? 1 : 3, 4, { peer: 'batches', warmup: 1000 }),
  };
}

function objectGrid(mode, target) {
  const sizes = { '64': 64, '1k': 1024, '16k': 16384, '64k': 65536 };
  const totals = { '64': 100000, '1k': 60000, '16k': 12000, '64k': 4000 };
  const entries = Object.keys(sizes).map((name) => [`object-${name}-${mode}`, {
    mode,
    figures: [{ key: 'messagesPerSecond', unit: 'round trips/s', better: 'higher', target }],
    run: () => pipeline({ payload: '.'.repeat(sizes[name]) }, quick ? totals[name] / 10 : totals[name], 256),
  }]);
  return Object.fromEntries(entries);
}

function startup(preload, withTargets) {
  return {
    external: 'startup',
    preload,
    samplesPerRound: 10, // a start-up is ~50 ms, and noisy: many alternating samples
    figures: [
      { key: 'cpuMs', label: 'CPU', unit: 'ms user+sys', better: 'lower', target: withTargets ? ['delta', '<=', 3] : null },
      { key: 'peakRssMiB', label: 'peak RSS', unit: 'MiB', better: 'lower', target: withTargets ? ['delta', '<=', 1] : null },
    ],
  };
}

function rpcMessage() {
  return {
    id: 12345,
    method: 'workerFarm.runTask',
    args: [
      '/home/user/project/src/components/Button.tsx',
      { cwd: '/home/user/project', env: 'production', cache: true, retries: 3 },
      ['--flag-one', '--flag-two', '--target=es2022'],
      { started: 1732700000000, attempt: 1, tags: ['build', 'tsx', 'ssr'] },
    ],
  };
}

function result(figures) {
  process.stdout.write(JSON.stringify({ workload, ...figures }) + '\n');
}

function startPeer(mode, peerRole) {
  return fork(__filename, [workload, quickArg, peerRole], { serialization: mode });
}

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

// Throughput is the steady state's: the first `warmupOf(total)` messages go untimed, on every
// runtime. Their first thousands of messages run at half speed or less while JIT tiers and
// heaps settle (64 KiB advanced, 20,000 messages, MB/s per tenth: deka-ipc 515 → 1,100–1,450,
// node 276 → 450), which a short timed run would mostly measure.
const warmupOf = (total) => Math.ceil(total / 2);

// Parent keeps `inFlight` messages outstanding; every echo releases the next send. `total`
// messages are timed, after the warm-up's.
function pipeline(message, total, inFlight) {
  const child = startPeer(workloads[workload].mode, 'echo');
  const bytes = typeof message === 'string' ? message.length : JSON.stringify(message).length;
  const warmup = warmupOf(total);
  const all = warmup + total;
  let sent = 0;
  let received = 0;
  let start;
  child.on('message', (m) => {
    if (m === 'ready') {
      for (; sent < inFlight && sent < all; sent++) child.send(message);
      return;
    }
    if (++received === warmup) start = process.hrtime.bigint();
    if (sent < all) {
      child.send(message);
      sent++;
    }
    if (received === all) {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      result({ messagesPerSecond: total / seconds, mbPerSecond: (total * bytes) / seconds / 1e6 });
      child.disconnect();
    }
  });
}

function flood(total) {
  const child = startPeer('json', 'flood');
  const size = 1024 * 1024;
  const warmup = warmupOf(total);
  let received = 0;
  let start;
  child.on('message', (m) => {
    if (m === 'ready') {
      child.send({ count: warmup + total, bytes: size });
      return;
    }
    if (++received === warmup) start = process.hrtime.bigint();
    if (received === warmup + total) {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      result({ mbPerSecond: (total * size) / seconds / 1e6 });
      child.disconnect();
    }
  });
}

// One message in flight: p50/p99 of the round trip, over `rounds` round trips or `maxSeconds`.
function pingPong(rounds, maxSeconds) {
  const child = startPeer('json', 'echo');
  const message = 'p'.repeat(64);
  const times = [];
  let first;
  let start;
  child.on('message', (m) => {
    const t = process.hrtime.bigint();
    if (m === 'ready') first = t;
    else times.push(Number(t - start) / 1e3);
    if (times.length === rounds || (times.length >= 100 && Number(t - first) / 1e9 > maxSeconds)) {
      times.sort((a, b) => a - b);
      const n = times.length;
      result({ p50Us: times[Math.floor(n * 0.5)], p99Us: times[Math.floor(n * 0.99)], rounds: n });
      child.disconnect();
      return;
    }
    start = process.hrtime.bigint();
    child.send(message);
  });
}

// A timer sends one 64 B request per millisecond, the child echoes it. After a warm-up both sides
// take their CPU time (user + system) over the same `seconds`; the figure is µs of CPU per
// request/response actually completed.
function cpuAtOneKilohertz(seconds, warmupSeconds) {
  const child = startPeer('json', 'cpu');
  const message = 'c'.repeat(64);
  let timer;
  let replies = 0;
  let parent;
  child.on('message', (m) => {
    if (m === 'ready') {
      timer = setInterval(() => child.send(message), 1);
      setTimeout(mark, warmupSeconds * 1000);
    } else if (typeof m === 'object') {
      const { requests, parentCpuUs, wallMs } = parent;
      result({
        parentUsPerRequest: parentCpuUs / requests,
        childUsPerRequest: m.cpuUs / requests,
        parentCpuMs: parentCpuUs / 1000,
        childCpuMs: m.cpuUs / 1000,
        requests,
        requestsPerSecond: requests / (wallMs / 1000),
      });
      child.disconnect();
    } else {
      replies++;
    }
  });
  function mark() {
    child.send('mark');
    const cpu0 = process.cpuUsage();
    const t0 = now();
    replies = 0;
    setTimeout(() => {
      clearInterval(timer);
      const cpu = process.cpuUsage();
      parent = {
        requests: replies,
        parentCpuUs: cpu.user - cpu0.user + cpu.system - cpu0.system,
        wallMs: now() - t0,
      };
      child.send('report');
    }, seconds * 1000);
  }
}

// `children` peers flood the parent for `seconds` while it runs a 10 ms interval; the longest
// gap between its ticks, from the first `warmup` messages on, until the first tick after the
// last 'done'. A fixed duration rather than a count: every runtime gets the same flood, however
// fast it reads. Peers: 'stream' sends 64 B strings while send() returns true (then waits a
// turn); 'batches' is issue 23's flood, `{ i }` in batches (see that peer).
function timerGap(mode, seconds, children, { peer = 'stream', warmup = 0 } = {}) {
  const peers = [];
  let ready = 0;
  let done = 0;
  let received = 0;
  let start;
  let last;
  let maxGap = 0;
  let ticks = 0;
  let floodMs;
  for (let i = 0; i < children; i++) {
    const child = startPeer(mode, peer);
    peers.push(child);
    child.on('message', (m) => {
      if (m === 'ready') {
        if (++ready === children) go();
      } else if (m === 'done') {
        if (++done === children) floodMs = now() - start;
      } else {
        received++;
      }
    });
  }
  function go() {
    start = last = now();
    const timer = setInterval(() => {
      const t = now();
      if (received >= warmup) maxGap = Math.max(maxGap, t - last);
      last = t;
      ticks++;
      if (floodMs === undefined) return;
      clearInterval(timer);
      result({ maxGapMs: maxGap, ticks, floodMs, messages: received, messagesPerSecond: received / (floodMs / 1000) });
      for (const child of peers) child.disconnect();
    }, 10);
    for (const child of peers) child.send({ seconds, bytes: 64 });
  }
}

// `count` forks one after the other: fork() → the child's 'ready', the child disconnected and
// gone before the next fork. One fork gives `firstMs`, the first of a fresh process.
function forkToFirstMessage(count) {
  const times = [];
  const next = () => {
    const t0 = now();
    const child = startPeer('json', 'hello');
    child.once('message', () => {
      times.push(now() - t0);
      child.disconnect();
      child.once('exit', () => {
        if (times.length < count) return next();
        const sorted = times.slice().sort((a, b) => a - b);
        result({ firstMs: times[0], medianMs: sorted[Math.floor(count / 2)], forks: count });
      });
    });
  };
  next();
}

// `children` peers forked at once each send total / children 64 B strings as soon as they run
// (while send() says true, else the next turn); timed from the first fork to the last message.
function fanInRun(children, total) {
  const each = Math.floor(total / children);
  const all = each * children;
  const peers = [];
  let received = 0;
  const t0 = now();
  for (let i = 0; i < children; i++) {
    const child = fork(__filename, [workload, quickArg, 'fanin', String(each)], { serialization: 'json' });
    peers.push(child);
    child.on('message', () => {
      if (++received !== all) return;
      const seconds = (now() - t0) / 1000;
      result({ messagesPerSecond: all / seconds, seconds, messages: all });
      for (const peer of peers) peer.disconnect();
    });
  }
}

function receiveBig(mib) {
  const child = startPeer(workloads[workload].mode, 'big');
  global.gc?.();
  const before = process.memoryUsage().rss;
  child.on('message', (m) => {
    if (m === 'ready') {
      child.send(mib);
      return;
    }
    const peak = process.resourceUsage().maxRSS * 1024;
    const size = mib * 1024 * 1024;
    if (m.length !== size) throw new Error(`got ${m.length} bytes, expected ${size}`);
    result({ rssGrowthRatio: (peak - before) / size });
    child.disconnect();
  });
}

// The peer side of each workload.
const peers = {
  echo: (m) => process.send(m),
  // { count, bytes }: send `count` strings of `bytes` while send() says true, else wait a turn.
  flood: ({ count, bytes }) => sendWhileAccepted(count, 'f'.repeat(bytes)),
  // { seconds, bytes }: the same for a while, then 'done'.
  stream: ({ seconds, bytes }) => {
    const chunk = 's'.repeat(bytes);
    const end = Date.now() + seconds * 1000;
    const burst = () => {
      for (let i = 0; ; i++) {
        if ((i & 63) === 0 && Date.now() >= end) return process.send('done');
        if (!process.send(chunk)) break;
      }
      setImmediate(burst);
    };
    burst();
  },
  // { seconds }: `{ i }` 1,000 at a time in one setImmediate; the last of a batch carries a
  // callback, which schedules the next batch; then 'done'.
  batches: ({ seconds }) => {
    const end = Date.now() + seconds * 1000;
    let i = 0;
    const batch = () => {
      if (Date.now() >= end) return process.send('done');
      for (let n = 1; n < 1000; n++) process.send({ i: i++ });
      process.send({ i: i++ }, () => setImmediate(batch));
    };
    setImmediate(batch);
  },
  hello: () => {},
  big: (mib) => process.send('b'.repeat(mib * 1024 * 1024)),
  // Echo, plus 'mark' (start counting CPU) and 'report' (send the CPU used since the mark).
  cpu: (() => {
    let mark;
    const used = () => {
      const u = process.cpuUsage();
      return u.user + u.system;
    };
    return (m) => {
      if (m === 'mark') mark = used();
      else if (m === 'report') process.send({ cpuUs: used() - mark });
      else process.send(m);
    };
  })(),
};

// Sends `count` copies of `chunk` while send() says true, the rest from the next turn on.
function sendWhileAccepted(count, chunk) {
  let left = count;
  const burst = () => {
    while (left > 0) {
      left--;
      if (!process.send(chunk)) break;
    }
    if (left > 0) setImmediate(burst);
  };
  burst();
}

// Peers that start by themselves (no 'ready', no message to wait for).
const starters = {
  // <count>: that many 64 B strings, while send() says true, else the next turn.
  fanin: (count) => {
    sendWhileAccepted(Number(count), 'x'.repeat(64));
    process.on('message', () => {}); // stay until the parent disconnects
  },
};

function peer() {
  if (starters[role]) return starters[role](process.argv[5]);
  process.on('message', peers[role]);
  process.send('ready');
}

if (require.main !== module) {
  module.exports = { workloads };
} else if (role) {
  peer();
} else if (!workloads[workload] || workloads[workload].external) {
  console.error(`unknown workload ${workload}; one of: ${Object.keys(workloads).filter((w) => !workloads[w].external).join(', ')}`);
  process.exit(2);
} else {
  workloads[workload].run();
}
