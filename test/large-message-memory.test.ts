// A stream of large messages that the program reads and drops must not pile up in memory.
// Large plain strings are decoded into strings over memory outside the V8 heap (json lines of
// 1 MiB and up, advanced frames of 1 MiB and up that are one string). V8 must be told of that
// memory: such strings are a few dozen bytes on its heap each, and without the accounting a
// flood of them was held until some unrelated GC — the parent of a 600 x 1 MiB flood peaked at
// 650 MiB of RSS in both modes (90–125 MiB with it).
import t from 'tap';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const register = path.join(__dirname, '..', 'register.js');
const kMessages = 256;

// A fresh parent under the preload forks a child that sends `kMessages` strings of 1 MiB as
// fast as send() allows; the parent drops each one and reports its own peak RSS growth.
const program = `
const { fork } = require('child_process');
const [mode, role] = process.argv.slice(2);
const size = 1024 * 1024;
if (role === 'child') {
  const text = 'm'.repeat(size);
  let left = ${kMessages};
  const burst = () => {
    while (left > 0) {
      left--;
      if (!process.send(text)) break;
    }
    if (left > 0) setImmediate(burst);
  };
  burst();
} else {
  const before = process.resourceUsage().maxRSS * 1024;
  const child = fork(__filename, [mode, 'child'], { serialization: mode });
  let received = 0;
  child.on('message', (m) => {
    if (typeof m !== 'string' || m.length !== size) throw new Error('a message came out wrong');
    if (++received < ${kMessages}) return;
    const growth = process.resourceUsage().maxRSS * 1024 - before;
    console.log(JSON.stringify({ received, growth }));
    child.disconnect();
  });
}
`;

// 256 MiB received in all. Measured with the accounting: 55–75 MiB of growth on Node 20,
// 23–48 MiB on Node 26;
// without it, the parent kept every message: 261 MiB.
const kBound = 160 * 1024 * 1024;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-large-'));
const script = path.join(dir, 'flood.js');
fs.writeFileSync(script, program);
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

for (const mode of ['json', 'advanced']) {
  t.test(`${mode}: 1 MiB strings read and dropped are collected as they come`, async (t) => {
    const r = spawnSync(process.execPath, ['--require', register, script, mode], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: 120000,
    });
    t.equal(r.status, 0, r.stderr);
    const { received, growth } = JSON.parse(r.stdout.trim().split('\n').pop()!);
    t.equal(received, kMessages, 'every message came out whole');
    t.ok(growth <= kBound, `the parent's peak RSS grew by ${(growth / 1048576).toFixed(0)} MiB for ${kMessages} MiB received`);
  });
}
