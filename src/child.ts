// The child side: a process started by a deka-ipc parent finds its channel in the
// environment and gets process.send, process.channel, 'message', 'disconnect'.
import { setupChannel, type IpcTarget } from './setup-channel';
import type { SerializationMode } from './serialization';
import type { Control } from './control';

export const kChannelFdEnv = 'DEKA_CHANNEL_FD';
export const kSerializationEnv = 'DEKA_CHANNEL_SERIALIZATION_MODE';

/** Sets up `process` as an IPC child on `fd`, with Node's liveness rules. */
export function installChildChannel(fd: number, mode: SerializationMode): Control {
  const target = process as unknown as IpcTarget;
  // The channel alone does not keep the child alive; 'message' and 'disconnect' listeners do.
  const control = setupChannel(target, fd, mode, { startUnref: true });
  process.on('newListener', (name) => {
    if (name === 'message' || name === 'disconnect') control.refCounted();
  });
  process.on('removeListener', (name) => {
    if (name === 'message' || name === 'disconnect') control.unrefCounted();
  });
  return control;
}

/** Reads and removes the channel variables, as Node does with NODE_CHANNEL_FD. */
export function takeChannelFromEnv(): { fd: number; mode: SerializationMode } | null {
  const fdText = process.env[kChannelFdEnv];
  if (fdText === undefined) return null;
  const mode = (process.env[kSerializationEnv] || 'json') as SerializationMode;
  delete process.env[kChannelFdEnv];
  delete process.env[kSerializationEnv];
  const fd = Number(fdText);
  if (!Number.isInteger(fd) || fd < 0) {
    process.emitWarning(`deka-ipc: ignoring ${kChannelFdEnv}=${JSON.stringify(fdText)}: not a file descriptor`);
    return null;
  }
  return { fd, mode };
}
