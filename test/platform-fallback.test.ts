// Where deka-ipc has no native addon (Windows, a Mac without a compiler, a failed build), the
// install succeeds with one clear line and the preload leaves Node's builtin IPC in place.
// DEKA_IPC_SIMULATE_PLATFORM tells scripts/install.js and src/native.ts they run on that OS;
// the forks and the install step below are real.
import t from 'tap';
import path from 'path';
import fs from 'fs';
import os from 'os';
import { spawnSync } from 'child_process';

const root = path.resolve(__dirname, '..');
const register = path.join(root, 'register.js');
const installScript = path.join(root, 'scripts', 'install.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-platform-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

// A parent that forks a child, echoes one message each serialization, passes nothing else.
const parent = path.join(dir, 'parent.js');
fs.writeFileSync(parent, `
  const { fork } = require('child_process');
  const deka = require(${JSON.stringify(root)});
  const native = require(${JSON.stringify(path.join(root, 'dist', 'native.js'))});
  if (process.argv[2] === 'child') {
    // Disconnects once the reply is written, not inside the 'message' call: Node 20's builtin
    // throws (channel[kPendingMessages] of null) when a message that waited for the first
    // listener is handled by a disconnect.
    process.on('message', (m) => process.send({ echo: m, deka: deka.isDekaChannel(process.channel) }, () => process.disconnect()));
  } else {
    // Warnings recorded as emitted: under tap on Node 26 a spawned process's default printing
    // of warnings to stderr was seen to go missing (plain \`process.emitWarning\` too), so the
    // parent reports what it emitted in its output rather than the test reading stderr.
    const warnings = [];
    process.on('warning', (w) => warnings.push({ name: w.name, code: w.code, message: w.message }));
    (async () => {
      const out = { loadError: native.nativeLoadError && native.nativeLoadError.code, runs: [], warnings };
      for (const serialization of ['json', 'advanced']) {
        const child = fork(__filename, ['child'], { serialization });
        const parentDeka = deka.isDekaChannel(child.channel);
        child.send({ hello: serialization });
        const reply = await new Promise((resolve) => child.once('message', resolve));
        await new Promise((resolve) => child.once('exit', resolve));
        out.runs.push({ serialization, parentDeka, ...reply });
      }
      console.log(JSON.stringify(out));
    })();
  }
`);

function preloadFork(platform: string) {
  return spawnSync(process.execPath, ['--require', register, parent], {
    encoding: 'utf8',
    timeout: 30000,
    env: { ...process.env, NODE_OPTIONS: '', DEKA_IPC_SIMULATE_PLATFORM: platform },
  });
}

for (const [platform, code] of [
  ['win32', 'ERR_DEKA_IPC_UNSUPPORTED_PLATFORM'],
  ['darwin', 'ERR_DEKA_IPC_NATIVE_MISSING'],
]) {
  t.test(`told it runs on ${platform}, the preload forks on Node's builtin IPC`, async (t) => {
    const r = preloadFork(platform);
    t.equal(r.status, 0, r.stderr);
    t.notMatch(r.stderr, /TypeError|Error:/, 'no process of the tree threw');
    const out = JSON.parse(r.stdout);
    t.equal(out.loadError, code);
    for (const run of out.runs) {
      t.same(run.echo, { hello: run.serialization }, `${run.serialization}: the message came back`);
      t.equal(run.parentDeka, false, `${run.serialization}: the parent's channel is Node's`);
      t.equal(run.deka, false, `${run.serialization}: the child's channel is Node's`);
    }
    // One warning, at the first fork, saying why and what is used instead.
    const warnings = out.warnings.filter((w: { name: string }) => w.name === 'DekaIpcWarning');
    t.equal(warnings.length, 1, JSON.stringify(out.warnings));
    t.match(warnings[0].message, /Node's builtin IPC is used instead/);
    t.equal(warnings[0].code, code, 'the warning carries the load error\'s code');
    if (platform === 'win32') t.match(warnings[0].message, /no native channel on win32/);
  });
}

t.test('on the real platform the same parent runs on deka-ipc (the check above can fail)', async (t) => {
  const r = spawnSync(process.execPath, ['--require', register, parent], {
    encoding: 'utf8',
    timeout: 30000,
    env: { ...process.env, NODE_OPTIONS: '', DEKA_IPC_SIMULATE_PLATFORM: '' },
  });
  t.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  t.equal(out.loadError, null);
  for (const run of out.runs) t.equal(run.parentDeka && run.deka, true, run.serialization);
});

function install(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [installScript], {
    encoding: 'utf8',
    timeout: 60000,
    // As npm runs it for a dependency: the project being installed is elsewhere.
    env: { ...process.env, npm_config_local_prefix: dir, ...env },
  });
}

t.test('install on win32: exit 0 and one line, no build attempted', async (t) => {
  // node-gyp would fail loudly if it ran: it must not run.
  const r = install({ DEKA_IPC_SIMULATE_PLATFORM: 'win32', npm_config_node_gyp: path.join(dir, 'no-such-node-gyp') });
  t.equal(r.status, 0);
  t.equal(r.stderr, '');
  t.same(r.stdout.trim().split('\n'), [
    "deka-ipc: no native channel on win32 yet; deka-ipc will use Node's builtin IPC (fork, send and 'message' work as without it).",
  ]);
});

t.test('install on darwin with no compiler: the build is tried, fails, exit 0 and one line', async (t) => {
  const r = install({ DEKA_IPC_SIMULATE_PLATFORM: 'darwin', npm_config_node_gyp: '/bin/false' });
  t.equal(r.status, 0);
  const lines = r.stdout.trim().split('\n');
  t.equal(lines.length, 1, r.stdout);
  t.match(lines[0], /^deka-ipc: no prebuilt binary for darwin-\w+ and the build from source failed \(node-gyp exited with 1\); deka-ipc will use Node's builtin IPC/);
});

t.test('install where node-gyp is missing altogether: the spawn error is the reason', async (t) => {
  const r = install({ DEKA_IPC_SIMULATE_PLATFORM: 'freebsd', npm_config_node_gyp: path.join(dir, 'no-such-node-gyp') });
  t.equal(r.status, 0);
  t.match(r.stdout.trim(), /^deka-ipc: no prebuilt binary for freebsd-\w+ and the build from source failed \(spawnSync .*ENOENT\)/);
});

t.test('install as a dependency where a binary loads: no compiler invoked', async (t) => {
  // The clone's own build/Release loads here, as a prebuild does in an installed package.
  const r = install({ npm_config_node_gyp: '/bin/false' });
  t.equal(r.status, 0);
  t.match(r.stdout.trim(), /^deka-ipc: using (build\/Release|prebuilds\/linux-\w+)\/[\w.-]+\.node \(no compiler needed\)\.$/);
});
