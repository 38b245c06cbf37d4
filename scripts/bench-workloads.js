'use strict';
// The measured programs of `npm run bench`. Run as
//   node [--require register.js] scripts/bench-workloads.js <workload> <quick 0|1>
// it forks itself as the peer (through whichever child_process the runtime gives), runs one
// workload and prints one JSON line with its figures. The same code runs on every runtime.

const { fork } = require('child_process');

const [, , workload, quickArg, role] = process.argv;
const quick = quickArg === '1';

const workloads = {
  // 1. 64 B strings, 256 in flight, the child echoes: messages per second.
  'pipeline-64b-json': { mode: 'json', run: () => pipeline('x'.repeat(64), quick ? 20000 : 200000, 256) },
  // 2. 64 KiB strings, pipelined: MB/s of payload (one way).
  'pipeline-64k-json': { mode: 'json', run: () => pipeline('y'.repeat(65536), quick ? 300 : 4000, 16) },
  // 3. 1 MiB strings flooded by the child while send() says true: MB/s received.
  'flood-1m-json': { mode: 'json', run: () => flood(quick ? 40 : 400) },
  // 4. 64 KiB strings, pipelined, advanced serialization.
  'pipeline-64k-advanced': { mode: 'advanced', run: () => pipeline('z'.repeat(65536), quick ? 300 : 4000, 16) },
  // 5. one 64 B message at a time: round-trip latency.
  'pingpong-64b-json': { mode: 'json', run: () => pingPong(quick ? 2000 : 20000) },
  // 6. a realistic RPC object (~300 B), pipelined, both modes.
  'rpc-json': { mode: 'json', run: () => pipeline(rpcMessage(), quick ? 20000 : 150000, 256) },
  'rpc-advanced': { mode: 'advanced', run: () => pipeline(rpcMessage(), quick ? 20000 : 150000, 256) },
  // 7. peak RSS growth of a process receiving one 64 MiB message.
  'rss-64m-json': { mode: 'json', run: () => receiveBig(quick ? 8 : 64) },
  'rss-64m-advanced': { mode: 'advanced', run: () => receiveBig(quick ? 8 : 64) },
};

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

// Parent keeps `inFlight` messages outstanding; every echo releases the next send.
function pipeline(message, total, inFlight) {
  const child = startPeer(workloads[workload].mode, 'echo');
  const bytes = typeof message === 'string' ? message.length : JSON.stringify(message).length;
  let sent = 0;
  let received = 0;
  let start;
  child.on('message', (m) => {
    if (m === 'ready') {
      start = process.hrtime.bigint();
      for (; sent < inFlight && sent < total; sent++) child.send(message);
      return;
    }
    received++;
    if (sent < total) {
      child.send(message);
      sent++;
    }
    if (received === total) {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      result({ messagesPerSecond: total / seconds, mbPerSecond: (total * bytes) / seconds / 1e6 });
      child.disconnect();
    }
  });
}

function flood(total) {
  const child = startPeer('json', 'flood');
  const size = 1024 * 1024;
  let received = 0;
  let start;
  child.on('message', (m) => {
    if (m === 'ready') {
      start = process.hrtime.bigint();
      child.send(total);
      return;
    }
    if (++received === total) {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      result({ mbPerSecond: (total * size) / seconds / 1e6 });
      child.disconnect();
    }
  });
}

function pingPong(rounds) {
  const child = startPeer('json', 'echo');
  const message = 'p'.repeat(64);
  const times = [];
  let start;
  child.on('message', (m) => {
    const now = process.hrtime.bigint();
    if (m !== 'ready') times.push(Number(now - start) / 1e3);
    if (times.length === rounds) {
      times.sort((a, b) => a - b);
      result({ p50Us: times[Math.floor(rounds * 0.5)], p99Us: times[Math.floor(rounds * 0.99)] });
      child.disconnect();
      return;
    }
    start = process.hrtime.bigint();
    child.send(message);
  });
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
function peer() {
  process.on('message', (m) => {
    if (role === 'echo') {
      process.send(m);
    } else if (role === 'flood') {
      const chunk = 'f'.repeat(1024 * 1024);
      let left = m;
      const burst = () => {
        while (left > 0) {
          left--;
          if (!process.send(chunk)) break;
        }
        if (left > 0) setImmediate(burst);
      };
      burst();
    } else if (role === 'big') {
      process.send('b'.repeat(m * 1024 * 1024));
    }
  });
  process.send('ready');
}

if (require.main !== module) {
  module.exports = { workloadNames: Object.keys(workloads) };
} else if (role) {
  peer();
} else if (!workloads[workload]) {
  console.error(`unknown workload ${workload}; one of: ${Object.keys(workloads).join(', ')}`);
  process.exit(2);
} else {
  workloads[workload].run();
}
