// The preload: under `-r deka-ipc/register`, fork() and spawn() with 'ipc' — from CJS,
// ESM named imports and grandchildren alike — run on our channel, never Node's.
import t from 'tap';
import path from 'path';
import fs from 'fs';
import os from 'os';
import { spawnSync } from 'child_process';

const root = path.resolve(__dirname, '..');
const register = path.join(root, 'register.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-register-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

// A child that reports what it sees about its own channel, then leaves.
const reporter = path.join(dir, 'reporter.js');
fs.writeFileSync(reporter, `
  const deka = require(${JSON.stringify(root)});
  process.send({
    deka: deka.isDekaChannel(process.channel),
    nodeChannelFd: process.env.NODE_CHANNEL_FD ?? null,
    dekaChannelFd: process.env.DEKA_CHANNEL_FD ?? null,
  });
  process.disconnect();
`);

function run(file: string, source: string, env: NodeJS.ProcessEnv = {}) {
  const script = path.join(dir, file);
  fs.writeFileSync(script, source);
  const result = spawnSync(process.execPath, ['--require', register, script], {
    encoding: 'utf8',
    timeout: 30000,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  return { ...result, lines: result.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

const seen = { deka: true, nodeChannelFd: null, dekaChannelFd: null };

t.test('CJS fork() is ours in the parent and the child', async (t) => {
  const r = run('cjs.js', `
    const { fork } = require('child_process');
    const deka = require(${JSON.stringify(root)});
    const child = fork(${JSON.stringify(reporter)});
    child.on('message', (m) => console.log(JSON.stringify({ parent: deka.isDekaChannel(child.channel), ...m })));
  `);
  t.equal(r.status, 0, r.stderr);
  t.same(r.lines, [{ parent: true, ...seen }]);
});

t.test('ESM named import of fork from node:child_process is ours', async (t) => {
  const r = run('esm.mjs', `
    import { fork } from 'node:child_process';
    import { createRequire } from 'node:module';
    const deka = createRequire(import.meta.url)(${JSON.stringify(root)});
    const child = fork(${JSON.stringify(reporter)});
    child.on('message', (m) => console.log(JSON.stringify({ parent: deka.isDekaChannel(child.channel), ...m })));
  `);
  t.equal(r.status, 0, r.stderr);
  t.same(r.lines, [{ parent: true, ...seen }]);
});

t.test('spawn() with ipc at index 3 and 4 is ours', async (t) => {
  const r = run('spawn.js', `
    const { spawn } = require('child_process');
    for (const stdio of [[0, 1, 2, 'ipc'], [0, 1, 2, 'ignore', 'ipc']]) {
      const child = spawn(process.execPath, [${JSON.stringify(reporter)}], { stdio });
      child.on('message', (m) => console.log(JSON.stringify({ index: stdio.indexOf('ipc'), ...m })));
    }
  `);
  t.equal(r.status, 0, r.stderr);
  t.same(r.lines.sort((a: { index: number }, b: { index: number }) => a.index - b.index), [
    { index: 3, ...seen },
    { index: 4, ...seen },
  ]);
});

t.test('a grandchild forked by a forked child is ours too', async (t) => {
  const middle = path.join(dir, 'middle.js');
  fs.writeFileSync(middle, `
    const { fork } = require('child_process');
    const child = fork(${JSON.stringify(reporter)});
    child.on('message', (m) => { process.send(m); process.disconnect(); });
  `);
  const r = run('grand.js', `
    const { fork } = require('child_process');
    fork(${JSON.stringify(middle)}).on('message', (m) => console.log(JSON.stringify(m)));
  `);
  t.equal(r.status, 0, r.stderr);
  t.same(r.lines, [seen]);
});

t.test('a child that will not load the preload gets Node’s variable and its builtin IPC', async (t) => {
  // Our preload reaches a child through NODE_OPTIONS or the inherited execArgv: neither here.
  const r = run('explicit.js', `
    const { fork } = require('child_process');
    const child = fork(${JSON.stringify(reporter)}, { execArgv: [], env: { ...process.env, NODE_OPTIONS: '' } });
    child.on('message', (m) => console.log(JSON.stringify(m)));
  `);
  t.equal(r.status, 0, r.stderr);
  t.same(r.lines, [{ deka: false, nodeChannelFd: null, dekaChannelFd: null }]);
});

t.test('a child that inherits -r register in its execArgv is ours', async (t) => {
  const r = run('execargv.js', `
    const { fork } = require('child_process');
    const child = fork(${JSON.stringify(reporter)}, { env: { ...process.env, NODE_OPTIONS: '' } });
    child.on('message', (m) => console.log(JSON.stringify(m)));
  `);
  t.equal(r.status, 0, r.stderr);
  t.same(r.lines, [seen]);
});

t.test('works beside an --import loader (Node 20 runs preloads on the hooks thread too)', async (t) => {
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(hooks, `export async function resolve(s, c, next) { return next(s, c); }`);
  const loader = path.join(dir, 'loader.mjs');
  fs.writeFileSync(loader, `import { register } from 'node:module'; register(${JSON.stringify('file://' + hooks)});`);
  const script = path.join(dir, 'with-loader.js');
  fs.writeFileSync(script, `
    const { fork } = require('child_process');
    fork(${JSON.stringify(reporter)}).on('message', (m) => console.log(JSON.stringify(m)));
  `);
  const r = spawnSync(process.execPath, ['--import', loader, '--require', register, script], {
    encoding: 'utf8',
    timeout: 30000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  t.equal(r.status, 0, r.stderr);
  t.same(JSON.parse(r.stdout), seen);
});

t.test('without the preload, child_process stays the builtin', async (t) => {
  const script = path.join(dir, 'plain.js');
  fs.writeFileSync(script, `
    const { fork } = require('child_process');
    const deka = require(${JSON.stringify(root)});
    const child = fork(${JSON.stringify(reporter)});
    child.on('message', (m) => console.log(JSON.stringify({ parent: deka.isDekaChannel(child.channel), ...m })));
  `);
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  t.equal(r.status, 0, r.stderr);
  t.same(JSON.parse(r.stdout), { parent: false, deka: false, nodeChannelFd: null, dekaChannelFd: null });
});
