// How a deka-ipc parent tells a child where its channel is, and how the child takes it:
// small on purpose, as the preload reads it in every process at start-up.

export const kChannelFdEnv = 'DEKA_CHANNEL_FD';
export const kSerializationEnv = 'DEKA_CHANNEL_SERIALIZATION_MODE';
/** Set by a parent that can switch the channel to shared memory (src-native/ring-transport.h). */
export const kShmEnv = 'DEKA_CHANNEL_SHM';

/** The shared-memory transport is on unless DEKA_IPC_SHM=0 (on either side). */
export function shmWanted(): boolean {
  return process.env.DEKA_IPC_SHM !== '0';
}

export type ChannelMode = 'json' | 'advanced';

/** Reads and removes the channel variables, as Node does with NODE_CHANNEL_FD. */
export function takeChannelFromEnv(): { fd: number; mode: ChannelMode; shm: boolean } | null {
  const fdText = process.env[kChannelFdEnv];
  if (fdText === undefined) return null;
  const mode = (process.env[kSerializationEnv] || 'json') as ChannelMode;
  const shm = process.env[kShmEnv] === '1' && shmWanted();
  delete process.env[kChannelFdEnv];
  delete process.env[kSerializationEnv];
  delete process.env[kShmEnv];
  const fd = Number(fdText);
  if (!Number.isInteger(fd) || fd < 0) {
    process.emitWarning(`deka-ipc: ignoring ${kChannelFdEnv}=${JSON.stringify(fdText)}: not a file descriptor`);
    return null;
  }
  return { fd, mode, shm };
}

/**
 * worker_threads.isMainThread without loading worker_threads (~8 M instructions, Node 20):
 * every worker — Node 20's loader-hook thread included, which runs --require preloads too —
 * gets a process.chdir that throws, marked `disabled` (Node 20 to 26;
 * test/main-thread.test.ts holds the lines to it).
 */
export function onMainThread(): boolean {
  const chdir = process.chdir as { disabled?: boolean; name?: string };
  return chdir.disabled !== true && chdir.name !== 'unavailableInWorker';
}

/** The index of the only 'ipc' in an own `stdio` array of spawn()'s options, else -1. */
export function ipcIndex(options: unknown): number {
  if (options === null || typeof options !== 'object') return -1;
  const stdio = Object.prototype.hasOwnProperty.call(options, 'stdio') ? (options as { stdio?: unknown }).stdio : undefined;
  if (!Array.isArray(stdio)) return -1;
  const first = stdio.indexOf('ipc');
  return first !== -1 && stdio.indexOf('ipc', first + 1) === -1 ? first : -1;
}
