// The preload (`node -r deka-ipc/register`): this process and every descendant that
// inherits NODE_OPTIONS gets deka-ipc for fork() and for spawn() with 'ipc' stdio, and a
// child started by a deka-ipc parent gets its channel.
// Every process of the tree pays for what loads here, so at start-up only child_process (to
// replace fork before anything imports it) and the builtin functions' store load: the addon
// and the protocol load at the first fork or when a channel is handed to us. Where the addon
// cannot load, Node's builtin IPC goes on.
import childProcess from 'child_process';
import { builtin, type Builtin } from './builtin';

const kRegistered = Symbol.for('deka-ipc.registered');
const registry = globalThis as unknown as { [kRegistered]?: boolean };

// The Module class, without loading the public 'module' (and its source-map code).
const Module = module.constructor as typeof import('module');

let impl: Builtin | null = null;

/** deka-ipc's fork/spawn, or the builtin's when the addon cannot load (decided once). */
function implementation(): Builtin {
  if (impl) return impl;
  const runtime = require('./runtime') as typeof import('./runtime');
  if (runtime.native.nativeLoadError) {
    warnMissingAddon(runtime.native);
    impl = builtin;
  } else {
    impl = { fork: runtime.fork, spawn: runtime.spawn };
  }
  return impl;
}

/**
 * Addons switched off on purpose (--no-addons, the permission model) need no word: the
 * builtin serves, and a deka-ipc parent hands such children Node's NODE_CHANNEL_FD. A broken
 * build gets one warning, where it matters: a channel we cannot serve, or a fork.
 */
let warned = false;
function warnMissingAddon(native: typeof import('./runtime').native): void {
  if (warned || native.addonsDisabled || !native.nativeLoadError) return;
  warned = true;
  process.emitWarning(`${native.nativeLoadError.message}; Node's builtin IPC is used instead`, {
    type: 'DekaIpcWarning',
    // ERR_DEKA_IPC_NATIVE_MISSING, or ERR_DEKA_IPC_UNSUPPORTED_PLATFORM (Windows): deka-errors.ts.
    code: (native.nativeLoadError as NodeJS.ErrnoException).code,
  });
}

function fork(this: unknown, ...args: Parameters<typeof childProcess.fork>) {
  return implementation().fork.apply(this, args);
}

function spawn(this: unknown, ...args: Parameters<typeof childProcess.spawn>) {
  // Without 'ipc' in its stdio a spawn is the builtin's, and loads nothing of ours.
  const options = Array.isArray(args[1]) || args[1] == null ? args[2] : args[1];
  if (channelEnv().ipcIndex(options) === -1) return builtin.spawn.apply(this, args);
  return implementation().spawn.apply(this, args as Parameters<typeof childProcess.spawn>);
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
  // (A child of the tree finds this very file there: preload.ts is for the first process.)
  const current = process.env.NODE_OPTIONS;
  if (!current?.includes(__filename)) {
    const preload = require('./preload') as typeof import('./preload');
    if (!preload.nodeOptionsLoadRegister(current)) {
      process.env.NODE_OPTIONS = current ? `${current} ${preload.requireOption()}` : preload.requireOption();
    }
  }

  // A channel handed to us (channel-env.ts's kChannelFdEnv). Node 20 also runs --require
  // preloads on its loader-hook thread, which may see the variable before the main thread
  // takes it: only the main thread serves the channel. (Asked without worker_threads, whose
  // load costs every child ~8 M instructions: see channel-env.ts's onMainThread.)
  if (process.env.DEKA_CHANNEL_FD !== undefined && isMainThread()) {
    const runtime = require('./runtime') as typeof import('./runtime');
    if (runtime.native.nativeLoadError) {
      warnMissingAddon(runtime.native);
    } else {
      const channel = channelEnv().takeChannelFromEnv();
      if (channel) runtime.installChildChannel(channel.fd, channel.mode, channel.shm);
    }
  }

  // Before any application code can import it. (Patching when the program first asks for
  // child_process was tried: a module.registerHooks resolve hook sees every way of asking, but
  // makes every require() of a process that never asks ~45% dearer (1,500 modules: +302 M
  // instructions on Node 26), and on Node 22 it breaks ESM imports beside an --import loader
  // that uses module.register (ERR_METHOD_NOT_IMPLEMENTED, resolveSync).)
  Object.assign(childProcess, { fork, spawn });
  // ESM `import { fork } from 'node:child_process'` reads the synced named exports.
  Module.syncBuiltinESMExports();
}

function isMainThread(): boolean {
  return channelEnv().onMainThread();
}

register();
