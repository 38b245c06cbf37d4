// `npm run prebuilds`: the addon built for every Node line a user may run, shipped in the
// tarball so that an install needs no compiler (scripts/install.js; src/native.ts loads the
// one for its ABI through node-gyp-build). nan binaries are per ABI, so one per line:
//   prebuilds/linux-x64/deka-ipc.abi<N>.glibc.node     Node 20, 22, 24, 26
//   prebuilds/linux-arm64/deka-ipc.abi<N>.glibc.node   the same, cross-compiled, when
//       aarch64-linux-gnu-g++ and qemu-aarch64 are there (Debian: g++-aarch64-linux-gnu qemu-user)
// Headers come from the official builds on npm (node-linux-<arch>@<line>: bin/node and
// include/node), used as node-gyp's nodedir: nothing is downloaded from nodejs.org. Each
// binary is stripped, and kept only when scripts/smoke-fork.js passes on it under that
// line's own node (arm64: under qemu-user): fork, json and advanced serialization, a passed
// net socket, traced on deka-ipc. A binary that fails is deleted and the script exits 1.
// (The npm script is "prebuilds", not "prebuild": npm would run a "prebuild" script before
// every `npm run build`.)
//   node scripts/prebuild.js [--lines 20,22,24,26] [--arch x64,arm64] [--cache <dir>]
// --cache: where the node-linux-* packages are kept between runs (default: os.tmpdir()).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const name = require(path.join(root, 'package.json')).name;

function option(flag, fallback) {
  const i = process.argv.indexOf(flag);
  return i === -1 ? fallback : process.argv[i + 1];
}
const lines = option('--lines', '20,22,24,26').split(',');
const arches = option('--arch', 'x64,arm64').split(',');
const cache = option('--cache', path.join(os.tmpdir(), 'deka-ipc-prebuild-nodes'));

const cross = {
  x64: { cc: 'gcc', cxx: 'g++', strip: 'strip', run: [] },
  arm64: {
    cc: 'aarch64-linux-gnu-gcc',
    cxx: 'aarch64-linux-gnu-g++',
    strip: 'aarch64-linux-gnu-strip',
    run: ['qemu-aarch64', '-L', '/usr/aarch64-linux-gnu'],
  },
};

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The official build of a line for an arch (npm: node-linux-<arch>), installed once into the cache. */
function nodeDist(arch, line) {
  const prefix = path.join(cache, `node-linux-${arch}-${line}`);
  const dir = path.join(prefix, 'node_modules', `node-linux-${arch}`);
  if (!fs.existsSync(path.join(dir, 'include', 'node', 'node.h'))) {
    // --force: the package declares its cpu, and for arm64 this machine's is another.
    const force = arch === os.arch() ? [] : ['--force'];
    const r = spawnSync('npm', ['install', '--no-save', '--silent', '--prefix', prefix, ...force, `node-linux-${arch}@${line}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`npm install node-linux-${arch}@${line} failed`);
  }
  return { dir, version: require(path.join(dir, 'package.json')).version };
}

/** A scratch copy of what the build reads, so the clone's own build/ is left alone. */
function stage() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-ipc-prebuild-'));
  for (const entry of ['binding.gyp', 'package.json', 'src-native']) {
    fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function nodeGyp() {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
  } catch {
    return process.env.npm_config_node_gyp || 'node-gyp';
  }
}

function build(arch, line, dist) {
  const dir = stage();
  // JOBS: node-gyp's make -j (every core; the seven sources compile independently).
  const env = { JOBS: 'max', ...process.env, npm_config_nodedir: dist.dir, CC: cross[arch].cc, CXX: cross[arch].cxx };
  // The prebuilds are the default build of each OS, whatever switch this shell has on.
  delete env.DEKA_IPC_PORTABLE;
  const args = [require.resolve('prebuildify/bin.js'), '--cwd', dir, '--out', root, '--target', dist.version, '--arch', arch,
    '--no-napi', '--tag-libc', '--strip', '--strip-bin', cross[arch].strip, '--node-gyp', nodeGyp()];
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) {
    process.stdout.write(`${r.stdout}${r.stderr}`.split('\n').slice(-30).join('\n'));
    throw new Error(`prebuildify failed for ${arch} Node ${dist.version}`);
  }
  return seconds;
}

/** smoke-fork.js on the binary alone (DEKA_IPC_PREBUILD: node-gyp-build looks only there). */
function smoke(arch, dist, file) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-ipc-smoke-'));
  try {
    const tuple = path.join(dir, 'prebuilds', `linux-${arch}`);
    fs.mkdirSync(tuple, { recursive: true });
    fs.copyFileSync(file, path.join(tuple, path.basename(file)));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name }));
    const node = path.join(dist.dir, 'bin', 'node');
    const env = { ...process.env, DEKA_IPC_PREBUILD: dir, DEKA_IPC_TRACE: path.join(dir, 'trace'), NODE_OPTIONS: '' };
    if (cross[arch].run.length) {
      // No binfmt_misc here: the children's node is a wrapper that runs qemu.
      const wrapper = path.join(dir, 'node');
      fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${cross[arch].run.join(' ')} ${node} "$@"\n`, { mode: 0o755 });
      env.SMOKE_EXEC_PATH = wrapper;
    }
    const [cmd, ...pre] = [...cross[arch].run, node];
    const r = spawnSync(cmd, [...pre, '-r', path.join(root, 'register.js'), path.join(__dirname, 'smoke-fork.js')], {
      env, encoding: 'utf8', timeout: 300_000,
    });
    process.stdout.write(r.stdout.split('\n').filter(Boolean).map((l) => `    ${l}\n`).join(''));
    if (r.status !== 0) process.stdout.write(`    ${r.stderr.trim().split('\n').slice(-5).join('\n    ')}\n`);
    return r.status === 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'register.js'))) throw new Error('no dist/: run `npm run build` (or tsc) first');
  let failed = 0;
  for (const arch of arches) {
    const missing = [cross[arch].cxx, cross[arch].strip, ...cross[arch].run.slice(0, 1)].filter((c) => !onPath(c));
    if (missing.length) {
      console.log(`prebuild: linux-${arch} skipped: ${missing.join(', ')} not found (Debian: apt-get install g++-aarch64-linux-gnu qemu-user)`);
      continue;
    }
    for (const line of lines) {
      const dist = nodeDist(arch, line);
      const seconds = build(arch, line, dist);
      const abi = spawnSync(process.execPath, ['-p', `require('node-abi').getAbi(${JSON.stringify(dist.version)}, 'node')`], {
        cwd: path.dirname(require.resolve('prebuildify/package.json')), encoding: 'utf8',
      }).stdout.trim();
      const file = path.join(root, 'prebuilds', `linux-${arch}`, `${name}.abi${abi}.glibc.node`);
      const size = fs.statSync(file).size;
      console.log(`prebuild: linux-${arch} Node ${dist.version} (abi ${abi}): ${path.relative(root, file)}, ${size} bytes, built in ${seconds.toFixed(1)} s`);
      const started = process.hrtime.bigint();
      const ok = smoke(arch, dist, file);
      const smokeSeconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
      if (ok) {
        console.log(`prebuild: linux-${arch} Node ${dist.version}: smoke passed in ${smokeSeconds} s, kept`);
      } else {
        failed++;
        fs.rmSync(file, { force: true });
        console.log(`prebuild: linux-${arch} Node ${dist.version}: smoke FAILED, binary deleted`);
      }
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = main();
