'use strict';
// A line's copy of the package in the cache: the sources mirrored (changed files only),
// node_modules hard-linked to ours, the addon and dist/ built for the line, each step skipped
// when its inputs and the line are those of the last successful build.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { PROJECT_ROOT: ROOT } = require('../lib/runtime');
const { tailLines } = require('../lib/format');
const { run } = require('./exec');
const { lineEnv } = require('./lines');

// not copied into a line's build folder: generated, or too big to copy (node_modules is linked)
const SKIP_NAMES = new Set(['.git', 'node_modules', 'build', 'dist', 'coverage', '.tap', '.next', '.compat-tmp', '.deka-repro', 'matrix-report']);

function hashFiles(hash, dir, rel = '') {
  let entries;
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) hashFiles(hash, dir, r);
    else if (e.isFile()) hash.update(`${r}\0`).update(fs.readFileSync(path.join(dir, r))).update('\0');
  }
}

function stampOf(parts, dirs, base) {
  const hash = crypto.createHash('sha256').update(JSON.stringify(parts));
  for (const d of dirs) hashFiles(hash, base, d);
  return hash.digest('hex');
}

/**
 * Mirrors the package's sources into dest (changed files only); node_modules is a link to ours.
 * `out`, the report folder, is never copied (it may be inside the repository).
 */
function syncTree(src, dest, out) {
  fs.mkdirSync(dest, { recursive: true });
  const present = new Set();
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    if (SKIP_NAMES.has(e.name) || path.join(src, e.name) === out) continue;
    present.add(e.name);
    const from = path.join(src, e.name);
    const to = path.join(dest, e.name);
    if (e.isDirectory()) {
      if (fs.existsSync(to) && !fs.lstatSync(to).isDirectory()) fs.rmSync(to, { recursive: true, force: true });
      syncTree(from, to, out);
    } else if (e.isFile()) {
      const a = fs.statSync(from);
      const b = fs.existsSync(to) ? fs.lstatSync(to) : null;
      if (!b || !b.isFile() || a.size !== b.size || a.mtimeMs !== b.mtimeMs) {
        fs.rmSync(to, { recursive: true, force: true });
        fs.copyFileSync(from, to);
        fs.utimesSync(to, a.atime, a.mtime);
      }
    }
  }
  // what the sources no longer have (a deleted case must not run); outputs stay
  for (const name of fs.readdirSync(dest)) {
    if (!present.has(name) && !SKIP_NAMES.has(name) && !name.startsWith('.matrix-')) {
      fs.rmSync(path.join(dest, name), { recursive: true, force: true });
    }
  }
}
/**
 * The copy's node_modules: hard links to ours (no space, no copying; a copy only across file
 * systems). Not a symlink: Next's Turbopack refuses packages outside the project's root.
 */
function linkNodeModules(copy) {
  const dest = path.join(copy, 'node_modules');
  if (fs.existsSync(dest) && fs.lstatSync(dest).isSymbolicLink()) fs.rmSync(dest);
  linkTree(path.join(ROOT, 'node_modules'), dest);
}

function linkTree(src, dest) {
  fs.mkdirSync(dest, { recursive: true });
  const present = new Set();
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    present.add(e.name);
    const from = path.join(src, e.name);
    const to = path.join(dest, e.name);
    let have = null;
    try {
      have = fs.lstatSync(to);
    } catch {}
    if (e.isDirectory()) {
      if (have && !have.isDirectory()) fs.rmSync(to, { force: true });
      linkTree(from, to);
    } else if (e.isSymbolicLink()) {
      const target = fs.readlinkSync(from);
      if (have && have.isSymbolicLink() && fs.readlinkSync(to) === target) continue;
      if (have) fs.rmSync(to, { recursive: true, force: true });
      fs.symlinkSync(target, to);
    } else if (e.isFile()) {
      if (have && have.isFile() && have.ino === fs.statSync(from).ino) continue;
      if (have) fs.rmSync(to, { recursive: true, force: true });
      try {
        fs.linkSync(from, to);
      } catch (err) {
        if (err.code !== 'EXDEV' && err.code !== 'EPERM') throw err;
        fs.copyFileSync(from, to);
      }
    }
  }
  for (const name of fs.readdirSync(dest)) {
    if (!present.has(name)) fs.rmSync(path.join(dest, name), { recursive: true, force: true });
  }
}

function packageVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/**
 * Builds the copy for the line: the addon (node-gyp) and dist/ (tsc and scripts/bundle.js), each skipped when its inputs
 * and the line are those of the last successful build. -> { status, durationMs, outputTail? }
 */
async function buildLine(line, copy, logFile, opts, say) {
  const env = lineEnv(line);
  const start = Date.now();
  const steps = [
    {
      name: 'addon',
      stamp: stampOf([line.version, line.node, line.nodedir ?? 'npm default', packageVersion('nan'), packageVersion('node-gyp')], ['binding.gyp', 'src-native'], copy),
      output: path.join(copy, 'build', 'Release', 'deka_ipc.node'),
      cmd: ['npx', '--no-install', 'node-gyp', 'rebuild'],
    },
    {
      name: 'dist',
      stamp: stampOf([packageVersion('typescript'), packageVersion('esbuild')], ['tsconfig.json', 'src', 'scripts'], copy),
      output: path.join(copy, 'dist', 'index.js'),
      // tsc, then dist/runtime.js as one file (scripts/bundle.js), as npm run build does.
      cmd: ['sh', '-c', 'npx --no-install tsc -p tsconfig.json && node scripts/bundle.js'],
    },
  ];
  let built = false;
  for (const step of steps) {
    const stampFile = path.join(copy, `.matrix-${step.name}-stamp`);
    const old = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : null;
    if (!opts.rebuild && old === step.stamp && fs.existsSync(step.output)) continue;
    fs.rmSync(stampFile, { force: true });
    if (step.name === 'addon') fs.rmSync(path.join(copy, 'build'), { recursive: true, force: true });
    say(`  ${step.cmd.join(' ')}`);
    const r = await run(step.cmd[0], step.cmd.slice(1), { cwd: copy, env, logFile, echo: opts.verbose });
    if (r.code !== 0 || !fs.existsSync(step.output)) {
      return {
        status: 'failed',
        step: step.name,
        durationMs: Date.now() - start,
        outputTail: tailLines(r.error ? String(r.error) : r.output, 60).join('\n'),
      };
    }
    fs.writeFileSync(stampFile, step.stamp);
    built = true;
  }
  return { status: built ? 'built' : 'unchanged', durationMs: Date.now() - start };
}

module.exports = { syncTree, linkNodeModules, buildLine };
