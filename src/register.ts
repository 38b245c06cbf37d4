// The preload (`node -r deka-ipc/register`): this process and every descendant that
// inherits NODE_OPTIONS gets deka-ipc for fork() and for spawn() with 'ipc' stdio, and a
// child started by a deka-ipc parent gets its channel.
// Every process of the tree pays for what loads here, so in a child of the tree this file
// loads nothing else at start-up: child_process itself (with net, dgram and the streams:
// ~3 MiB and ~2 ms) loads when the program first asks for it; the addon and the protocol at
// the first fork or when a channel is handed to us. Where the addon cannot load, Node's
// builtin IPC goes on.
import type childProcessModule from 'child_process';
import type { Builtin } from './builtin';

type ChildProcessModule = typeof childProcessModule;

const kRegistered = Symbol.for('deka-ipc.registered');
const registry = globalThis as unknown as { [kRegistered]?: boolean };

// The Module class, without loading the public 'module' (and its source-map code).
const Module = module.constructor as typeof import('module') & {
  registerHooks?: (hooks: { resolve: ResolveHook }) => { deregister(): void };
};
type ResolveHook = (specifier: string, context: unknown, next: (s: string, c: unknown) => unknown) => unknown;

type Impl = Builtin;
let impl: Impl | null = null;
let builtin: Builtin;

/** deka-ipc's fork/spawn, or the builtin's when the addon cannot load (decided once). */
function implementation(): Impl {
  if (impl) return impl;
  const native = require('./native') as typeof import('./native');
  if (native.nativeLoadError) {
    warnMissingAddon(native);
    impl = builtin;
  } else {
    impl = { fork: require('./fork').fork, spawn: require('./spawn').spawn };
  }
  return impl;
}

/**
 * Addons switched off on purpose (--no-addons, the permission model) need no word: the
 * builtin serves, and a deka-ipc parent hands such children Node's NODE_CHANNEL_FD. A broken
 * build gets one warning, where it matters: a channel we cannot serve, or a fork.
 */
let warned = false;
function warnMissingAddon(native: typeof import('./native')): void {
  if (warned || native.addonsDisabled || !native.nativeLoadError) return;
  warned = true;
  process.emitWarning(`${native.nativeLoadError.message}; Node's builtin IPC is used instead`, {
    type: 'DekaIpcWarning',
    code: 'ERR_DEKA_IPC_NATIVE_MISSING',
  });
}

function fork(this: unknown, ...args: Parameters<ChildProcessModule['fork']>) {
  return implementation().fork.apply(this, args);
}

function spawn(this: unknown, ...args: Parameters<ChildProcessModule['spawn']>) {
  // Without 'ipc' in its stdio a spawn is the builtin's, and loads nothing of ours.
  const options = Array.isArray(args[1]) || args[1] == null ? args[2] : args[1];
  if (channelEnv().ipcIndex(options) === -1) return builtin.spawn.apply(this, args);
  return implementation().spawn.apply(this, args as Parameters<ChildProcessModule['spawn']>);
}

let channelEnvModule: typeof import('./channel-env') | null = null;
function channelEnv(): typeof import('./channel-env') {
  return (channelEnvModule ??= require('./channel-env') as typeof import('./channel-env'));
}

function register(): void {
  // Several copies of deka-ipc may be preloaded (NODE_OPTIONS and -r); the first wins.
  if (registry[kRegistered]) return;
  registry[kRegistered] = true;

  // Children started with the default environment (or a copy of it) preload us too —
  // also from a process that cannot load the addon: its children may well be able to.
  const current = process.env.NODE_OPTIONS;
  if (!current?.includes(__filename) && !current?.includes(packageRegisterPath())) {
    // preload.ts's requireOption(), written out here so that no other file loads at start-up.
    const value = /[\s"\\]/.test(__filename) ? `"${__filename.replace(/[\\"]/g, (c) => '\\' + c)}"` : __filename;
    process.env.NODE_OPTIONS = current ? `${current} --require=${value}` : `--require=${value}`;
  }

  // A channel handed to us (channel-env.ts's kChannelFdEnv). Node 20 also runs --require
  // preloads on its loader-hook thread, which may see the variable before the main thread
  // takes it: only the main thread serves the channel. (Only asked here: loading
  // worker_threads costs every process ~2 ms.)
  if (process.env.DEKA_CHANNEL_FD !== undefined && isMainThread()) {
    const native = require('./native') as typeof import('./native');
    if (native.nativeLoadError) {
      warnMissingAddon(native);
    } else {
      const channel = channelEnv().takeChannelFromEnv();
      if (channel) require('./child').installChildChannel(channel.fd, channel.mode);
    }
  }

  patchWhenWanted();
}

/** Replaces fork and spawn on child_process, once, keeping the builtin's for fallback. */
let patched = false;
function patchChildProcess(): void {
  if (patched) return;
  patched = true;
  builtin = (require('./builtin') as typeof import('./builtin')).builtin;
  Object.assign(getBuiltin('child_process'), { fork, spawn });
  // ESM `import { fork } from 'node:child_process'` reads the synced named exports.
  Module.syncBuiltinESMExports();
}

function getBuiltin(id: string): ChildProcessModule {
  // process.getBuiltinModule (Node 20.16+) passes no module hook, so cannot re-enter ours.
  return process.getBuiltinModule ? (process.getBuiltinModule(id) as ChildProcessModule) : (require(id) as ChildProcessModule);
}

// Who asks for these gets the patched child_process: cluster's primary takes child_process's
// fork when it loads, so it counts as asking.
const kWanted = new Set(['child_process', 'node:child_process', 'cluster', 'node:cluster']);

/**
 * Patches child_process when the program first asks for it: require() and import pass the
 * module resolve hook, process.getBuiltinModule its wrapper. Both go away once patched. Where
 * there are no in-thread module hooks (Node 20, 22 before 22.15) nothing would see an ESM
 * import in time, so child_process is patched now.
 */
function patchWhenWanted(): void {
  if (typeof Module.registerHooks !== 'function') return patchChildProcess();
  const getBuiltinModule = process.getBuiltinModule;
  const resolve: ResolveHook = (specifier, context, next) => {
    if (kWanted.has(specifier)) patchNow();
    return next(specifier, context);
  };
  const hooks = Module.registerHooks({ resolve });
  const wrapped = getBuiltinModule && function getBuiltinModuleThenPatch(this: unknown, id: string) {
    if (kWanted.has(id)) patchNow();
    return getBuiltinModule.call(this, id);
  };
  if (wrapped) process.getBuiltinModule = wrapped as typeof process.getBuiltinModule;
  function patchNow(): void {
    hooks.deregister();
    if (wrapped && process.getBuiltinModule === wrapped) process.getBuiltinModule = getBuiltinModule;
    patchChildProcess();
  }
}

/** The package's register.js (which forwards here), without path's per-character work. */
function packageRegisterPath(): string {
  const dist = Math.max(__dirname.lastIndexOf('/'), __dirname.lastIndexOf('\\'));
  return __dirname.slice(0, dist + 1) + 'register.js';
}

function isMainThread(): boolean {
  return (require('worker_threads') as typeof import('worker_threads')).isMainThread;
}

register();
