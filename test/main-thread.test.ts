// channel-env.ts's onMainThread answers worker_threads.isMainThread without loading it: on the
// main thread, in a Worker, and on the loader-hook thread that runs --require preloads (Node 20).
import t from 'tap';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Worker, isMainThread } from 'worker_threads';
import { onMainThread } from '../src/channel-env';

t.test('main thread', async (t) => {
  t.equal(onMainThread(), isMainThread);
  t.equal(onMainThread(), true);
});

t.test('a Worker', async (t) => {
  const answer = await new Promise((resolve, reject) => {
    const code = `const { parentPort, isMainThread } = require('worker_threads');
      const chdir = process.chdir;
      parentPort.postMessage([chdir.disabled !== true && chdir.name !== 'unavailableInWorker', isMainThread]);`;
    const worker = new Worker(code, { eval: true });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  t.same(answer, [false, false], 'not the main thread, by both');
});

t.test('a preload on the loader-hook thread', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-main-thread-'));
  const log = path.join(dir, 'log');
  fs.writeFileSync(path.join(dir, 'hooks.mjs'), 'export async function resolve(s, c, n) { return n(s, c); }\n');
  fs.writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module'; register(${JSON.stringify('file://' + path.join(dir, 'hooks.mjs'))});\n`);
  fs.writeFileSync(path.join(dir, 'preload.cjs'), `const chdir = process.chdir;
    require('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify([chdir.disabled !== true && chdir.name !== 'unavailableInWorker', require('worker_threads').isMainThread]) + '\\n');\n`);
  const r = spawnSync(process.execPath, ['--import', path.join(dir, 'register.mjs'), '-e', '0'], {
    env: { ...process.env, NODE_OPTIONS: `--require ${path.join(dir, 'preload.cjs')}` },
    encoding: 'utf8',
  });
  t.equal(r.status, 0, r.stderr);
  const answers = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (const [ours, theirs] of answers) t.equal(ours, theirs, 'both agree on each thread that ran the preload');
  fs.rmSync(dir, { recursive: true, force: true });
});
