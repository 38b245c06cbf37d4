// The preload (`node -r deka-ipc/register`): this process and every descendant that
// inherits NODE_OPTIONS gets deka-ipc for fork() and for spawn() with 'ipc' stdio, and a
// child started by a deka-ipc parent gets its channel.
import childProcess from 'child_process';
import Module from 'module';
import { isMainThread } from 'worker_threads';
import { fork } from './fork';
import { spawn } from './spawn';
import { installChildChannel, takeChannelFromEnv } from './child';
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

  const channel = takeChannelFromEnv();
  if (channel) installChildChannel(channel.fd, channel.mode);

  Object.assign(childProcess, { fork, spawn });
  // ESM `import { fork } from 'node:child_process'` reads the synced named exports.
  Module.syncBuiltinESMExports();

  // Children started with the default environment (or a copy of it) preload us too.
  if (!nodeOptionsLoadRegister(process.env.NODE_OPTIONS)) {
    const current = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = current ? `${current} ${requireOption()}` : requireOption();
  }
}

register();
