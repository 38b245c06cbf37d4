// The shipped .d.ts as a consumer gets them: the tarball of `npm pack` (files as package.json's
// `files` say, scripts not run) unpacked into node_modules/deka-ipc of an empty project, and tsc
// with default settings but --module (commonjs, nodenext) on two files: good calls compile
// without an error; fork(42, { notAnOption: true, stdio: 7 }) is rejected (Node's own overloads).
import t from 'tap';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawnSync } from 'child_process';

t.setTimeout(180_000);
const root = path.resolve(__dirname, '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-types-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

const dist = path.join(root, 'dist', 'index.d.ts');
if (!fs.existsSync(dist)) throw new Error('dist/ is missing: build first (npm run build)');

const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' });
if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
const tarball = path.join(tmp, JSON.parse(pack.stdout)[0].filename);
const project = path.join(tmp, 'consumer');
const installed = path.join(project, 'node_modules', 'deka-ipc');
fs.mkdirSync(installed, { recursive: true });
const untar = spawnSync('tar', ['xzf', tarball, '-C', installed, '--strip-components=1'], { encoding: 'utf8' });
if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
// Node's types, as a consumer has them (@types/node); nothing else of ours.
fs.mkdirSync(path.join(project, 'node_modules', '@types'), { recursive: true });
fs.symlinkSync(path.join(root, 'node_modules', '@types', 'node'), path.join(project, 'node_modules', '@types', 'node'), 'dir');

fs.writeFileSync(path.join(project, 'good.ts'), `import { fork, spawn, builtin, isDekaChannel, registerPath, installChildChannel } from 'deka-ipc';
const child = fork('worker.js', ['--flag'], { serialization: 'advanced', silent: true });
child.send({ hello: 1 }, (err) => { if (err) throw err; });
const other = fork(new URL('file:///w.js'), { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
other.disconnect();
const piped = spawn('node', ['x.js'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
piped.stdout.on('data', (d: Buffer) => d.length);
builtin.fork('w.js');
const yes: boolean = isDekaChannel(child.channel);
const where: string = registerPath;
const control = installChildChannel(3, 'json');
control.unref();
console.log(yes, where);
`);
fs.writeFileSync(path.join(project, 'bad.ts'), `import { fork, spawn } from 'deka-ipc';
fork(42, { notAnOption: true, stdio: 7 });
spawn('node', { stdio: 'ipc', shell: 3 });
`);

// One tsc run per setting (a check of @types/node takes a while): both files, errors sorted by file.
function compile(module: string) {
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--module', module, 'good.ts', 'bad.ts'], { cwd: project, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

for (const module of ['commonjs', 'nodenext']) {
  t.test(`--module ${module}`, async (t) => {
    const { status, out } = compile(module);
    const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
    t.same(errors.filter((l) => !l.startsWith('bad.ts(')), [], 'no error in good.ts, nor in the shipped .d.ts');
    t.not(status, 0, 'bad calls do not compile');
    t.match(out, /^bad\.ts\(2,\d+\): error TS2769: No overload matches this call\./m, 'fork(42, { notAnOption: true, stdio: 7 })');
    t.match(out, /^bad\.ts\(3,\d+\): error TS\d+:/m, "spawn('node', { stdio: 'ipc', shell: 3 })");
  });
}
