// npm's install step for deka-ipc ("install" in package.json). An install must never fail
// for a user: deka-ipc is a preload, and where it has no native addon the preload leaves
// Node's builtin IPC in place (src/native.ts). So, as a dependency:
//   - an OS without a native channel (Windows: named pipes are a later phase): one line, exit 0;
//   - a prebuild that loads (prebuilds/, made by scripts/prebuild.js): one line, no compiler;
//   - else a build from source with npm's own node-gyp; if that fails (no compiler, no
//     python3, no make), one line with the short reason, exit 0.
// In the project itself (`npm install` / `npm ci` in a clone, where the root is this package)
// it builds from source as before, failures and all: a developer and the CI need to see them,
// and build switches such as DEKA_IPC_PORTABLE reach binding.gyp.
// DEKA_IPC_SIMULATE_PLATFORM=<os> (tests only) makes it act as on that OS: no prebuild is
// looked for, since none could load here.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const platform = process.env.DEKA_IPC_SIMULATE_PLATFORM || process.platform;
const simulated = platform !== process.platform;
// The same list as src/native.ts: Linux, and macOS and the BSDs through the portable path.
const nativePlatform = /^(linux|darwin|freebsd|openbsd|netbsd)$/;
const fallback = "deka-ipc will use Node's builtin IPC (fork, send and 'message' work as without it)";

function say(line) {
  console.log(`deka-ipc: ${line}`);
}

/** `npm install` / `npm ci` in the project itself, rather than deka-ipc as a dependency. */
function isProjectRoot() {
  const prefix = process.env.npm_config_local_prefix;
  return prefix !== undefined && path.resolve(prefix) === path.resolve(root);
}

/**
 * node-gyp: for a dependency, npm's own (npm_config_node_gyp, set for lifecycle scripts);
 * in the project, its devDependency first, as `node-gyp rebuild` found it before. Else PATH's.
 */
function nodeGypCommand(ownFirst) {
  const fromNpm = process.env.npm_config_node_gyp;
  const npmCommand = fromNpm && (fromNpm.endsWith('.js') ? [process.execPath, fromNpm] : [fromNpm]);
  if (npmCommand && !ownFirst) return npmCommand;
  try {
    return [process.execPath, require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] })];
  } catch {
    return npmCommand || ['node-gyp'];
  }
}

/** The binary node-gyp-build would pick (build/Release or a prebuild), if it loads here. */
function loadableBinary() {
  if (simulated) return null;
  try {
    const nodeGypBuild = require('node-gyp-build');
    const file = nodeGypBuild.path(root);
    require(file);
    return file;
  } catch {
    return null;
  }
}

/** The line of node-gyp's output that says why it failed, short. */
function shortReason(output, status) {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const why =
    lines.find((l) => /gyp ERR! stack Error: /.test(l)) ||
    lines.find((l) => /\berror\b:/i.test(l) && !/gyp ERR! (cwd|node|command|System)/.test(l)) ||
    lines.find((l) => /not found|No such file/i.test(l)) ||
    lines[lines.length - 1] ||
    `node-gyp exited with ${status}`;
  const text = why.replace(/^gyp ERR! (stack )?/, '');
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function buildFromSource(stdio, ownFirst) {
  const [cmd, ...args] = nodeGypCommand(ownFirst);
  return spawnSync(cmd, [...args, 'rebuild'], { cwd: root, stdio, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function main() {
  if (!nativePlatform.test(platform)) {
    say(`no native channel on ${platform} yet; ${fallback}.`);
    return 0;
  }

  if (isProjectRoot() && !simulated) {
    // The project itself: the build from source, as `node-gyp rebuild` always was here.
    const r = buildFromSource('inherit', true);
    return r.status ?? 1;
  }

  const wantsSource = /^(true|1)$/.test(process.env.npm_config_build_from_source || '');
  const found = wantsSource ? null : loadableBinary();
  if (found) {
    say(`using ${path.relative(root, found)} (no compiler needed).`);
    return 0;
  }

  const r = buildFromSource('pipe', false);
  if (r.status === 0 && (simulated || loadableBinary())) {
    const why = wantsSource ? 'asked for (--build-from-source)' : `no prebuilt binary for ${platform}-${process.arch} on Node ${process.versions.node}`;
    say(`${why}: built from source.`);
    return 0;
  }
  const reason = r.error ? r.error.message : r.status === 0 ? 'the build did not load' : shortReason(`${r.stdout}\n${r.stderr}`, r.status);
  say(`no prebuilt binary for ${platform}-${process.arch} and the build from source failed (${reason}); ${fallback}.`);
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  say(`install step failed unexpectedly (${err && err.message}); ${fallback}.`);
  process.exitCode = 0;
}
