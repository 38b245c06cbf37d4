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
export { fork } from './fork';
export { spawn } from './spawn';

/** Sets up `process` as an IPC child on `fd` (index.ts names what it returns: ChannelControl). */
export const installChildChannel: (fd: number, mode: 'json' | 'advanced', shm?: boolean) => EventEmitter = installChild;

/** True when `channel` (child.channel or process.channel) is a deka-ipc channel. */
export function isDekaChannel(channel: unknown): boolean {
  return channel instanceof Control;
}
