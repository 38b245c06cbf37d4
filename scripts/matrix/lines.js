'use strict';
// The Node lines of a matrix: the machine's node, an official build from npm
// (node-<platform>-<arch>@<major>, bin/node and the headers, installed once into the cache), or a
// given path; and the environment each builds and runs in.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { UsageError } = require('../lib/cli');
const { isExecutable } = require('../lib/runtime');

const PLATFORM_PACKAGE = `node-${process.platform}-${process.arch}`;
const DEFAULT_MAJORS = [20, 22, 24, 26];
const MACHINE_MAJOR = Number(process.versions.node.split('.')[0]);

function defaultCache() {
  if (process.env.DEKA_MATRIX_CACHE) return process.env.DEKA_MATRIX_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'deka-ipc', 'node-lines');
}


/**
 * -> [{ major, version, node, nodedir, origin }]. nodedir undefined = npm's default (the
 * machine's node), null = none known (node-gyp fetches the headers for the version it runs on).
 */
async function resolveLines(specs, cache, say) {
  const wanted = specs.length ? specs : [...new Set([...DEFAULT_MAJORS, MACHINE_MAJOR])].sort((a, b) => a - b).map(String);
  const lines = [];
  for (const spec of wanted) {
    let line;
    if (/^\d+$/.test(spec)) {
      const major = Number(spec);
      if (major === MACHINE_MAJOR) line = { node: process.execPath, nodedir: undefined, origin: 'machine' };
      else line = { ...(await download(major, cache, say)), origin: 'npm' };
    } else {
      line = { ...fromPath(spec), origin: 'path' };
    }
    const v = spawnSync(line.node, ['-p', 'process.version'], { encoding: 'utf8' });
    if (v.status !== 0) throw new UsageError(`${line.node} does not run: ${(v.stderr || v.error || '').toString().trim()}`);
    line.version = v.stdout.trim();
    line.major = Number(line.version.slice(1).split('.')[0]);
    if (/^\d+$/.test(spec) && line.major !== Number(spec)) throw new UsageError(`asked for Node ${spec}, ${line.node} is ${line.version}`);
    if (lines.some((l) => l.major === line.major)) throw new UsageError(`Node ${line.major} is given twice`);
    lines.push(line);
  }
  return lines.sort((a, b) => a.major - b.major);
}

/** The official build of a major from npm, installed once into <cache>/n<major>. */
async function download(major, cache, say) {
  const prefix = path.join(cache, `n${major}`);
  const pkg = path.join(prefix, 'node_modules', PLATFORM_PACKAGE);
  const node = path.join(pkg, 'bin', 'node');
  if (!isExecutable(node)) {
    fs.mkdirSync(prefix, { recursive: true });
    const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `${PLATFORM_PACKAGE}@${major}`];
    say(`Node ${major}: npm ${args.join(' ')}`);
    const r = spawnSync('npm', args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 || !isExecutable(node)) throw new UsageError(`could not install ${PLATFORM_PACKAGE}@${major} into ${prefix}`);
  }
  return { node, nodedir: pkg };
}

/** A folder with bin/node (an unpacked official build) or a node binary. */
function fromPath(p) {
  const abs = path.resolve(p);
  let node;
  if (isExecutable(abs)) node = abs;
  else if (isExecutable(path.join(abs, 'bin', 'node'))) node = path.join(abs, 'bin', 'node');
  else throw new UsageError(`--node ${p}: neither a node binary nor a folder with bin/node`);
  const folder = path.dirname(path.dirname(node));
  const headers = fs.existsSync(path.join(folder, 'include', 'node', 'node_version.h'));
  return { node, nodedir: headers ? folder : null };
}

/** The environment a line builds and runs in: its bin/ first on PATH, its headers for node-gyp. */
function lineEnv(line) {
  const env = { ...process.env, PATH: [path.dirname(line.node), process.env.PATH].join(path.delimiter) };
  if (line.nodedir !== undefined) env.npm_config_nodedir = line.nodedir || '';
  return env;
}

module.exports = { PLATFORM_PACKAGE, DEFAULT_MAJORS, defaultCache, resolveLines, lineEnv };
