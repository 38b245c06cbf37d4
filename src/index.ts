// deka-ipc: Node's child_process IPC on a channel of its own.
// (The modules load in the order of these lines, as they always did.)
import type { EventEmitter } from 'events';
// (The implementation comes from runtime.ts, the module the build bundles into one file.)
export { fork, spawn, isDekaChannel } from './runtime';
import { installChildChannel as installChild } from './runtime';
export { ChildProcess } from 'child_process';
export { builtin } from './builtin';
export { registerPath } from './preload';

/**
 * What installChildChannel returns: the public face of process.channel. (Named here rather
 * than as the class, whose private fields a consumer's .d.ts check would reject below ES2015.)
 */
export interface ChannelControl extends EventEmitter {
  ref(): void;
  unref(): void;
  refCounted(): void;
  unrefCounted(): void;
  readonly fd: number | undefined;
}

/** Sets up `process` as an IPC child on `fd`, with Node's liveness rules. */
export const installChildChannel = installChild as (fd: number, mode: 'json' | 'advanced', shm?: boolean) => ChannelControl;
