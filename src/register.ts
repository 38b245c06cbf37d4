// The preload (`node -r deka-ipc/register`): this process and every descendant that
// inherits NODE_OPTIONS gets deka-ipc for fork() and for spawn() with 'ipc' stdio, and a
// child started by a deka-ipc parent gets its channel.
// Where the addon cannot load, nothing is replaced: Node's builtin IPC goes on.
import childProcess from 'child_process';
import Module from 'module';
import { isMainThread } from 'worker_threads';
import { addonsDisabled, nativeLoadError } from './native';
import { fork } from './fork';
import { spawn } from './spawn';
import { installChildChannel, kChannelFdEnv, takeChannelFromEnv } from './child';
import { nodeOptionsLoadRegister, requireOption } from './preload';

const kRegistered = Symbol.for('deka-ipc.registered');
const registry = globalThis as unknown as { [kRegistered]?: boolean };

function register(): void {
  // Several copies of deka-ipc may be preloaded (NODE_OPTIONS and -r); the first wins.
  if (registry[kRegistered]) return;
  // Node 20 runs --require preloads on its loader-hook thread too; the channel and
  // child_process belong to the main thread alone.
  if (!isMainThread) return;
  registry[kRegistered] = true;

  // Children started with the default environment (or a copy of it) preload us too —
  // also from a process that cannot load the addon: its children may well be able to.
  if (!nodeOptionsLoadRegister(process.env.NODE_OPTIONS)) {
    const current = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = current ? `${current} ${requireOption()}` : requireOption();
  }

  if (nativeLoadError) {
    keepBuiltin(nativeLoadError);
    return;
  }

  const channel = takeChannelFromEnv();
  if (channel) installChildChannel(channel.fd, channel.mode);

  Object.assign(childProcess, { fork, spawn });
  // ESM `import { fork } from 'node:child_process'` reads the synced named exports.
  Module.syncBuiltinESMExports();
}

/**
 * Without the addon, Node's builtin fork/spawn stay (and a parent that is deka-ipc hands
 * such a child Node's NODE_CHANNEL_FD, so it has a channel anyway). Addons switched off on
 * purpose need no word; a broken build gets one warning, where it matters: when this process
 * was handed a deka-ipc channel it cannot serve, or at its first fork.
 */
function keepBuiltin(error: Error): void {
  if (addonsDisabled) return;
  let warned = false;
  const warnOnce = () => {
    if (warned) return;
    warned = true;
    process.emitWarning(`${error.message}; Node's builtin IPC is used instead`, {
      type: 'DekaIpcWarning',
      code: 'ERR_DEKA_IPC_NATIVE_MISSING',
    });
  };
  if (process.env[kChannelFdEnv] !== undefined) warnOnce();
  const builtinFork = childProcess.fork;
  Object.assign(childProcess, {
    fork: function fork(this: unknown, ...args: Parameters<typeof builtinFork>) {
      warnOnce();
      return builtinFork.apply(this, args);
    },
  });
  Module.syncBuiltinESMExports();
}

register();
