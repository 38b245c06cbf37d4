// A user's first fork, as a built binary must pass it before we keep or ship it: run as
// `node -r deka-ipc/register scripts/smoke-fork.js` (or -r <package>/register.js) with
// DEKA_IPC_TRACE=<file>. It forks itself with json and with advanced serialization, echoes a
// message each way, and passes a connected net socket to a child that writes through it.
// The trace is what proves the channel was deka-ipc's and not Node's builtin (the preload
// falls back silently when the addon cannot load): every process traces its frames.
// Prints one line per check; exits 1 when any fails. Used by scripts/prebuild.js (each binary
// it makes) and by .ci/run (the package installed from its tarball).
// SMOKE_EXEC_PATH: the children's node, for an emulated parent (qemu-user without binfmt
// cannot exec an arm64 binary itself): a wrapper that is not this very binary, so the
// children run Node's builtin IPC and only the parent's side is deka-ipc's (and traced).
'use strict';
const { fork } = require('child_process');
const assert = require('assert');
const fs = require('fs');
const net = require('net');

if (process.argv[2] === 'child') {
  process.on('message', (message, handle) => {
    if (message === 'socket') {
      handle.end(`written by child ${process.pid}`);
      process.send('socket done');
      return;
    }
    process.send(message);
  });
  return;
}

const traceFile = process.env.DEKA_IPC_TRACE;
const execPath = process.env.SMOKE_EXEC_PATH || process.execPath;
const childrenOurs = !process.env.SMOKE_EXEC_PATH;
const deadline = setTimeout(() => {
  console.log('smoke: timed out after 120 s');
  process.exit(1);
}, 120_000);
let failures = 0;

function once(child, event) {
  return new Promise((resolve, reject) => {
    child.once(event, resolve);
    child.once('error', reject);
  });
}

async function check(name, body) {
  try {
    await body();
    console.log(`smoke: ${name}: ok`);
  } catch (err) {
    failures++;
    console.log(`smoke: ${name}: FAILED: ${err && err.message}`);
  }
}

async function echo(serialization, value) {
  const child = fork(__filename, ['child'], { serialization, execPath });
  child.send(value);
  const back = await once(child, 'message');
  child.disconnect();
  await once(child, 'exit');
  assert.deepStrictEqual(back, value);
}

async function passSocket() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = net.connect(server.address().port, '127.0.0.1');
  const [accepted] = await once(server, 'connection').then((s) => [s]);
  let text = '';
  client.setEncoding('utf8').on('data', (d) => (text += d));
  const ended = once(client, 'end');
  const child = fork(__filename, ['child'], { execPath });
  child.send('socket', accepted);
  assert.strictEqual(await once(child, 'message'), 'socket done');
  await ended;
  child.disconnect();
  await once(child, 'exit');
  server.close();
  assert.match(text, /^written by child \d+$/);
}

function checkTrace() {
  if (!traceFile) throw new Error('DEKA_IPC_TRACE is not set: nothing tells deka-ipc from the builtin');
  const lines = fs.existsSync(traceFile) ? fs.readFileSync(traceFile, 'utf8').split('\n').filter(Boolean) : [];
  const frames = lines.map((line) => JSON.parse(line));
  const pids = new Set(frames.map((f) => f.pid));
  const ours = frames.filter((f) => f.pid === process.pid);
  const sent = ours.filter((f) => f.direction === 'out').length;
  const received = ours.filter((f) => f.direction === 'in').length;
  // Three children: the parent sent and received at least three messages; each child (when
  // it is deka-ipc too) traced its own.
  const wantPids = childrenOurs ? 4 : 1;
  if (sent < 3 || received < 3 || pids.size < wantPids) {
    throw new Error(`${traceFile}: parent sent ${sent}, received ${received}, ${pids.size} processes traced (want >= 3, >= 3, >= ${wantPids}): not deka-ipc's channel`);
  }
  console.log(`smoke: trace: ${frames.length} frames from ${pids.size} processes (parent: ${sent} out, ${received} in)`);
}

(async () => {
  await check('fork json', () => echo('json', { text: 'héllo', list: [1, 2, 3], nested: { ok: true } }));
  await check('fork advanced', () =>
    echo('advanced', { map: new Map([[1, 'one']]), big: 2n ** 70n, bytes: Buffer.from([0, 255, 7]), date: new Date(0) }));
  await check('pass a net socket', passSocket);
  await check('traced on deka-ipc', checkTrace);
  clearTimeout(deadline);
  console.log(failures ? `smoke: ${failures} failed` : 'smoke: all passed');
  process.exitCode = failures ? 1 : 0;
})();
