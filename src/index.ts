// deka-ipc: Node's child_process IPC on a channel of its own.
export { fork } from './fork';
export { spawn } from './spawn';
export { installChildChannel } from './child';
export { ChildProcess } from 'child_process';
export { builtin } from './builtin';
export { registerPath } from './preload';

import { Control } from './control';
/** True when `channel` (child.channel or process.channel) is a deka-ipc channel. */
export function isDekaChannel(channel: unknown): boolean {
  return channel instanceof Control;
}
