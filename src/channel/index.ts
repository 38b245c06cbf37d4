// The IPC protocol on one side of a channel: gives `target` (a ChildProcess in the parent,
// `process` in the child) Node's send/disconnect/connected/channel API and its events,
// over a native channel on `fd`. Each concern has its file; this one only wires them.
import { binding } from '../native';
import { getSerialization, type SerializationMode } from '../serialization';
import { FrameWriter } from '../frame-writer';
import { trackOpen } from '../exit-flush';
import { Control, exposeControl } from './control';
import { setupDelivery } from './messages';
import { setupIncoming } from './incoming';
import { setupRingSwitch } from './ring-switch';
import { setupHandleQueue } from './handle-queue';
import { setupOutgoing } from './outgoing';
import { setupDisconnect } from './disconnect';
import type { ChannelHooks, IpcTarget } from './target';

export type { ChannelHooks, IpcTarget } from './target';

export function setupChannel(
  target: IpcTarget,
  fd: number,
  mode: SerializationMode,
  hooks: ChannelHooks = {},
): Control {
  const serialization = getSerialization(mode);
  // Made before the native channel takes the descriptor over (advanced mode loads its module here).
  const decoder = serialization.createDecoder();
  const native = new binding.Channel(
    fd,
    (chunk, fd, status) => incoming.onRead(chunk, fd, status),
    (count, status) => writer.onWrite(count, status),
  );
  if (hooks.startUnref) native.unref();
  const control = new Control(native);
  const writer = new FrameWriter(native, control, (error) => process.nextTick(() => target.emit('error', error)));
  trackOpen(native, hooks.peerPid ?? (() => undefined));
  exposeControl(target, control);

  // The modules call each other only once the channel runs: the arrows below resolve then.
  const handles = setupHandleQueue(target, (...args) => send(...args), () => ends.disconnectNow(), (...args) => emit(...args));
  const emit = setupDelivery(target);
  const send = setupOutgoing(target, writer, serialization, handles);
  const ends = setupDisconnect(target, native, writer, hooks, {
    releasePending: () => handles.releasePending(),
    closeFd: () => incoming.closeFd(),
  });
  const ring = setupRingSwitch(native, writer, serialization, hooks.shm, () => incoming.takeFd());
  const incoming = setupIncoming(target, native, decoder, mode, ring, emit, ends.end);

  native.readStart();
  if (hooks.shm === 'offer') ring.offer();
  return control;
}
