// The child side: a process started by a deka-ipc parent (its channel found in the
// environment, see channel-env.ts) gets process.send, process.channel, 'message', 'disconnect'.
import { setupChannel, type IpcTarget } from './channel';
import type { SerializationMode } from './serialization';
import { refWhileListened, type Control } from './channel/control';

/** Sets up `process` as an IPC child on `fd`, with Node's liveness rules. */
export function installChildChannel(fd: number, mode: SerializationMode, shm = false): Control {
  const target = process as unknown as IpcTarget;
  // The channel alone does not keep the child alive; 'message' and 'disconnect' listeners do.
  // A deka-ipc parent that said it can (channel-env.ts) is offered the shared-memory rings.
  const control = setupChannel(target, fd, mode, {
    startUnref: true,
    shm: shm ? 'offer' : undefined,
    peerPid: () => process.ppid,
  });
  refWhileListened(process, control);
  return control;
}
