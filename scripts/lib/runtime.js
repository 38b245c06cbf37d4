'use strict';
// Which runtime answers child_process in a run (deka-ipc = node with this package's preload,
// node = Node's builtin IPC, the oracle, bun, deno, or any command line), finding binaries, and
// NODE_OPTIONS without our preload. Shared by the compat runner, bench, matrix and repro-next.

const fs = require('node:fs');
const path = require('node:path');
const { UsageError } = require('./cli');

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
/** The preload of a run on deka-ipc: <package>/register.js (it loads dist/register.js). */
const REGISTER = path.join(PROJECT_ROOT, 'register.js');

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `name` on PATH, or null. */
function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/** `name` in the package's node_modules/.bin, else on PATH, else null. */
function findBin(name) {
  const local = path.join(PROJECT_ROOT, 'node_modules', '.bin', name);
  return isExecutable(local) ? local : onPath(name);
}

/**
 * NODE_OPTIONS without any --require of our preload (so that a run on Node's builtin IPC really
 * is Node's), nor of the files in `also` (absolute paths).
 */
function withoutOurPreload(nodeOptions, also = []) {
  if (!nodeOptions) return '';
  const tokens = nodeOptions.match(/(?:[^\s"]+|"[^"]*")+/g) || [];
  const ours = (p) => {
    const v = p.replace(/"/g, '');
    return v === REGISTER || also.includes(v) || v === 'deka-ipc/register' || /deka-ipc[\\/]register(\.js)?$/.test(v);
  };
  const out = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const m = /^(?:--require|-r)=(.*)$/.exec(t);
    if (m && ours(m[1])) continue;
    if ((t === '--require' || t === '-r') && i + 1 < tokens.length && ours(tokens[i + 1])) {
      i++;
      continue;
    }
    out.push(t);
  }
  return out.join(' ');
}

/** "--require=<file>", quoted when the path holds white space. */
function requireOption(file) {
  return /\s/.test(file) ? `--require="${file}"` : `--require=${file}`;
}

/** How deno runs a CommonJS .js file (it reads .js as ESM unless told to detect CommonJS). */
const DENO_ARGS = ['run', '-A', '--unstable-detect-cjs'];

/**
 * A runtime by name -> { name, command: [file, ...args], env: {overrides; undefined deletes},
 * problem? (why it cannot run here) }. NODE_OPTIONS keeps what the caller has, minus our preload.
 */
function resolveRuntime(spec) {
  const name = spec || 'deka-ipc';
  const base = { DEKA_COMPAT_RUNTIME: name };
  switch (name) {
    case 'deka-ipc': {
      const req = requireOption(REGISTER);
      const prev = withoutOurPreload(process.env.NODE_OPTIONS);
      return {
        name,
        command: [process.execPath],
        env: { ...base, NODE_OPTIONS: prev ? `${prev} ${req}` : req },
        problem: fs.existsSync(REGISTER) ? null
          : `${path.relative(process.cwd(), REGISTER) || REGISTER} does not exist (build the project first)`,
      };
    }
    case 'node': {
      const prev = withoutOurPreload(process.env.NODE_OPTIONS);
      return { name, command: [process.execPath], env: { ...base, NODE_OPTIONS: prev || undefined } };
    }
    case 'bun': case 'deno': {
      const bin = findBin(name);
      return {
        name,
        command: bin ? (name === 'deno' ? [bin, ...DENO_ARGS] : [bin]) : [name],
        env: base,
        problem: bin ? null : `${name} not found in node_modules/.bin or PATH`,
      };
    }
    default: {
      const command = name.trim().split(/\s+/).filter(Boolean);
      if (!command.length) throw new UsageError('--runtime is empty');
      // The cases run in the package's folder: a relative path means one from here.
      if (command[0].includes('/') && !path.isAbsolute(command[0])) command[0] = path.resolve(command[0]);
      return { name, command, env: base, problem: isExecutable(command[0]) || !command[0].includes('/') ? null : `${command[0]} is not an executable file` };
    }
  }
}

module.exports = { PROJECT_ROOT, REGISTER, DENO_ARGS, isExecutable, onPath, findBin, withoutOurPreload, requireOption, resolveRuntime };
