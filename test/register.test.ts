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
  // And an ESM program's imports resolved through that loader's hooks (a module hook of ours
  // beside it broke these on Node 22).
  const esm = path.join(dir, 'with-loader.mjs');
  fs.writeFileSync(esm, `
    import { fork } from 'node:child_process';
    fork(${JSON.stringify(reporter)}).on('message', (m) => console.log(JSON.stringify(m)));
  `);
  for (const program of [script, esm]) {
    const r = spawnSync(process.execPath, ['--import', loader, '--require', register, program], {
      encoding: 'utf8',
      timeout: 30000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    t.equal(r.status, 0, r.stderr);
    t.same(JSON.parse(r.stdout), seen, path.basename(program));
  }
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

t.test('after the preload: child_process patched, and neither the public module nor the protocol loaded', async (t) => {
  // What is loaded right after the preload, seen by a second --require (which runs before any
  // --import: tap's own --import, which loads child_process in every process it sees, comes later).
  const probe = path.join(dir, 'probe.js');
  fs.writeFileSync(probe, `
    const ours = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(path.join(root, 'dist'))}));
    console.log(JSON.stringify({
      childProcess: process.moduleLoadList.includes('NativeModule child_process'),
      module: process.moduleLoadList.includes('NativeModule module'),
      ours: ours.map((f) => f.split('/').pop()).sort(),
    }));
  `);
  const empty = path.join(dir, 'empty.js');
  fs.writeFileSync(empty, '');
  const loaded = (preloads: string[]) => {
    const r = spawnSync(process.execPath, [...preloads.flatMap((p) => ['--require', p]), empty], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    t.equal(r.status, 0, r.stderr);
    // The main thread's line (Node 20 also runs preloads on a loader-hooks thread).
    return JSON.parse(r.stdout.split('\n')[0]);
  };
  // The public 'module' (source maps and more) is not ours to load either: as without us.
  // The first process of a tree also reads preload.ts (to write NODE_OPTIONS); its children
  // find the preload there already.
  t.same(loaded([register, probe]), { childProcess: true, module: loaded([probe]).module, ours: ['builtin.js', 'preload.js', 'register.js'] });
});

t.test('import() of node:child_process after start-up is ours', async (t) => {
  const r = run('dynamic.js', `
    const deka = require(${JSON.stringify(root)});
    setTimeout(async () => {
      const { fork } = await import('node:child_process');
      const child = fork(${JSON.stringify(reporter)});
      child.on('message', (m) => console.log(JSON.stringify({ parent: deka.isDekaChannel(child.channel), ...m })));
    }, 10);
  `);
  t.equal(r.status, 0, r.stderr);
  t.same(r.lines, [{ parent: true, ...seen }]);
});

t.test('process.getBuiltinModule(\'child_process\').fork is ours', { skip: !process.getBuiltinModule && 'no process.getBuiltinModule on this line' }, async (t) => {
  const r = run('get-builtin.js', `
    const { fork } = process.getBuiltinModule('node:child_process');
    const deka = require(${JSON.stringify(root)});
    const child = fork(${JSON.stringify(reporter)});
    child.on('message', (m) => console.log(JSON.stringify({ parent: deka.isDekaChannel(child.channel), ...m })));
  `);
  t.equal(r.status, 0, r.stderr);
  t.same(r.lines, [{ parent: true, ...seen }]);
});

t.test('cluster.fork() in a primary that never asked for child_process is ours', async (t) => {
  // cluster's primary takes child_process's fork when it loads: asking for cluster patches first.
  const r = run('cluster.js', `
    const cluster = require('cluster');
    const deka = require(${JSON.stringify(root)});
    if (cluster.isPrimary) {
      const worker = cluster.fork();
      worker.on('message', (m) => {
        console.log(JSON.stringify({ parent: deka.isDekaChannel(worker.process.channel), ...m }));
        worker.kill();
      });
    } else {
      process.send({ worker: true });
    }
  `);
  t.equal(r.status, 0, r.stderr);
  t.same(r.lines, [{ parent: true, worker: true }]);
});

t.test('the NODE_OPTIONS a process hands its children loads dist/register.js, quoted as preload.ts quotes it', async (t) => {
  // The compiled preload.ts, as the preload itself sees it (tap adds its own --import too).
  const { requireOption, registerPath } = require(path.join(root, 'dist', 'preload.js')) as typeof import('../src/preload');
  t.equal(registerPath, path.join(root, 'dist', 'register.js'));
  const ours = (options: string) => options.split(' ').filter((o) => o.includes('register')).map((o) => o.replace(/^"(.*)"$/, '$1'));
  const r = run('node-options.js', `console.log(JSON.stringify(process.env.NODE_OPTIONS));`);
  t.equal(r.status, 0, r.stderr);
  t.same(ours(r.lines[0]), [requireOption()]);
  // Already there (as in every child of the tree), or via the package's register.js: unchanged.
  for (const options of [requireOption(), `--require=${register}`]) {
    const again = run('node-options-again.js', `console.log(JSON.stringify(process.env.NODE_OPTIONS));`, { NODE_OPTIONS: options });
    t.equal(again.status, 0, again.stderr);
    t.same(ours(again.lines[0]), [options], options);
  }
});
