// deka-ipc: Node's child_process IPC on a channel of its own.
// (The modules load in the order of these lines, as they always did.)
import type { EventEmitter } from 'events';
export { fork } from './fork';
export { spawn } from './spawn';
import { installChildChannel as installChild } from './child';
export { ChildProcess } from 'child_process';
export { builtin } from './builtin';
export { registerPath } from './preload';
import { Control } from './channel/control';

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
export const installChildChannel: (fd: number, mode: 'json' | 'advanced', shm?: boolean) => ChannelControl = installChild;

/** True when `channel` (child.channel or process.channel) is a deka-ipc channel. */
export function isDekaChannel(channel: unknown): boolean {
  return channel instanceof Control;
}
