// Everything the preload loads after start-up — at the first fork, or when this process was
// handed a channel — and the public API's implementation, behind one module. `npm run build`
// bundles this file with all it reaches into one file, dist/runtime.js (scripts/bundle.js):
// a child that loads one file instead of ~30 starts measurably cheaper (issue 23). The
// start-up files the preload loads first (builtin, preload, channel-env) stay files of their
// own, shared by the bundle, so that nothing exists twice. Unbundled (tsc alone) it works the
// same, one file per module.
// Its .d.ts reaches no class with #private fields (a consumer's tsc below ES2015 rejects those:
// test/types-consumer.test.ts): the channel's class stays behind the two functions below.
import type { EventEmitter } from 'events';
import * as native from './native';
import { installChildChannel as installChild } from './child';
import { Control } from './channel/control';

export { native };

// fork and spawn load at their first call: a child of a deka-ipc parent that never forks
// runs neither module (nor the start-up file spawn reads, preload.js): ~1 ms of its start.
type ChildProcessModule = typeof import('child_process');

export const fork = function fork(this: unknown, ...args: unknown[]) {
  const { fork: impl } = require('./fork') as typeof import('./fork');
  return (impl as (...a: unknown[]) => unknown).apply(this, args);
} as ChildProcessModule['fork'];

export const spawn = function spawn(this: unknown, ...args: unknown[]) {
  const { spawn: impl } = require('./spawn') as typeof import('./spawn');
  return (impl as (...a: unknown[]) => unknown).apply(this, args);
} as ChildProcessModule['spawn'];

/** Sets up `process` as an IPC child on `fd` (index.ts names what it returns: ChannelControl). */
export const installChildChannel: (fd: number, mode: 'json' | 'advanced', shm?: boolean) => EventEmitter = installChild;

/** True when `channel` (child.channel or process.channel) is a deka-ipc channel. */
export function isDekaChannel(channel: unknown): boolean {
  return channel instanceof Control;
}
