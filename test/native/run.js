#!/usr/bin/env node
'use strict';
// `npm run test:tsan`: builds test/native/ring-stress.cc with the ring (src-native/shm-ring.cc),
// the socket helpers (io.cc) and this system's platform file, with g++ and no Node headers, and
// runs it:
//   1. under ThreadSanitizer (-fsanitize=thread -O1 -g), DEKA_RING_TSAN_BYTES bytes (default
//      3·10^7; TSan runs ~10x slower): it must end with zero reports;
//   2. at -O2, DEKA_RING_BYTES bytes (default 10^8), every byte checked;
//   3. at -O2 with platform-posix.cc (the macOS/BSD path) on Linux, 10^7 bytes;
//   4. on Linux, test/native/shm-shrink.cc: why the rings need a sealed memfd (a peer's
//      ftruncate of POSIX shared memory SIGBUSes our mapping; sealed, it fails).
// Exit 1 when a run fails or TSan reports anything. Binaries go to a temporary folder.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const native = path.join(root, 'src-native');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-ring-stress-'));
const cxx = process.env.CXX || 'g++';
const portableOnly = process.platform !== 'linux' || process.env.DEKA_IPC_PORTABLE === '1';
const platform = portableOnly ? 'platform-posix.cc' : 'platform-linux.cc';

function build(name, flags, platformFile) {
  const exe = path.join(out, name);
  const args = ['-std=gnu++17', '-Wall', '-Wextra', '-pthread', ...flags, `-I${native}`,
    path.join(__dirname, 'ring-stress.cc'), path.join(native, 'shm-ring.cc'), path.join(native, 'io.cc'),
    path.join(native, platformFile), '-o', exe];
  const r = spawnSync(cxx, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`test:tsan: ${cxx} ${args.join(' ')} failed`);
    process.exit(1);
  }
  return exe;
}

function run(label, exe, args, env = {}) {
  const started = Date.now();
  const r = spawnSync(exe, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(r.stdout);
  const reports = (r.stderr.match(/^WARNING: ThreadSanitizer:/gm) || []).length;
  if (r.stderr) process.stderr.write(r.stderr);
  const ok = r.status === 0 && reports === 0;
  console.log(`test:tsan: ${label}: ${ok ? 'ok' : 'FAILED'} in ${seconds} s (exit ${r.status ?? r.signal}` +
    `${label.includes('ThreadSanitizer') ? `, ${reports} ThreadSanitizer reports` : ''})`);
  return ok;
}

let ok = true;
const tsanBytes = process.env.DEKA_RING_TSAN_BYTES || '30000000';
const bytes = process.env.DEKA_RING_BYTES || '100000000';
const tsan = build('ring-stress-tsan', ['-fsanitize=thread', '-O1', '-g'], platform);
ok = run(`ThreadSanitizer, ${platform}, ${tsanBytes} bytes`, tsan, [`--bytes=${tsanBytes}`, '--hostile-rounds=20000'],
  { TSAN_OPTIONS: 'halt_on_error=0 exitcode=66' }) && ok;
const o2 = build('ring-stress-o2', ['-O2'], platform);
ok = run(`-O2, ${platform}, ${bytes} bytes`, o2, [`--bytes=${bytes}`, '--seed=2']) && ok;
if (!portableOnly) {
  const posix = build('ring-stress-posix', ['-O2'], 'platform-posix.cc');
  ok = run('-O2, platform-posix.cc, 10000000 bytes', posix, ['--bytes=10000000', '--seed=3']) && ok;
}
if (process.platform === 'linux') {
  const exe = path.join(out, 'shm-shrink');
  const r = spawnSync(cxx, ['-std=gnu++17', '-Wall', '-Wextra', '-O1', path.join(__dirname, 'shm-shrink.cc'), '-o', exe], { stdio: 'inherit' });
  ok = r.status === 0 && run('shm-shrink (sealed memory, Linux)', exe, []) && ok;
}
fs.rmSync(out, { recursive: true, force: true });
console.log(ok ? 'test:tsan: all runs passed' : 'test:tsan: FAILED');
process.exit(ok ? 0 : 1);
