// The IPC protocol on one side of a channel: gives `target` (a ChildProcess in the parent,
// `process` in the child) Node's send/disconnect/connected/channel API and its events,
// over a native channel on `fd`.
import { deprecate } from 'util';
import { binding, type NativeChannel } from './native';
import { Control, kPendingMessages } from './control';
import { getSerialization, type SerializationMode } from './serialization';
import { trackClosed, trackOpen } from './exit-flush';
import { watchDrain } from './peer-watch';
import { FrameWriter, type Callback } from './frame-writer';
import { traceFrame, tracing } from './trace';
import { adoptHandle, descriptorOf, detachSent, handleType, releaseSent, type HandleFrame } from './handles';
import { SocketLists } from './socket-list';
import { handleMismatch } from './handle-check';
import {
  ERR_INVALID_ARG_TYPE,
  ERR_IPC_CHANNEL_CLOSED,
  ERR_IPC_DISCONNECTED,
  ERR_MISSING_ARGS,
} from './errors';
import { validateObject } from './validators';
import { channelAliasRemoved } from './node-line';

type SendOptions = { swallowErrors?: boolean; keepOpen?: boolean };
type QueuedSend = { message: unknown; handle: unknown; options: SendOptions; callback?: Callback };

/** The members setupChannel installs on its target. */
export interface IpcTarget {
  emit(event: string | symbol, ...args: unknown[]): boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  listenerCount(event: string): number;
  channel?: Control | null;
  connected?: boolean;
  send?: (...args: unknown[]) => boolean;
  disconnect?: () => void;
  [key: string]: unknown;
}

export interface ChannelHooks {
  /** Called once, when the socket is closed for good (ChildProcess 'close' accounting). */
  onClose?: () => void;
  /** Start unref'd: the child side, where listeners decide whether the channel keeps it alive. */
  startUnref?: boolean;
  /**
   * The shared-memory transport (src-native/shm-channel.cc): the child of a deka-ipc parent
   * offers it with its first frame, and that parent accepts it.
   */
  shm?: 'offer' | 'accept';
  /** The process at the other end (the child's pid, the parent's): its liveness bounds the waits for our queue. */
  peerPid?: () => number | undefined;
}

/** The switch frames of the shared-memory transport: internal, never emitted. */
const kShmOffer = { cmd: 'NODE_DEKA_SHM' };
const kShmAccepted = { cmd: 'NODE_DEKA_SHM_ACK' };

/** UV_EPROTO: what the native channel reports for a peer that broke the shared-memory protocol. */
const kProtocolError = -71;

/** How often a handle the receiver did not get is sent again (Node's limit). */
const kMaxHandleRetransmissions = 3;

/** What send() without options means; shared, never written to. */
const kDefaultSendOptions: SendOptions = Object.freeze({ swallowErrors: false });

/** Node's outgoing write-queue limit: past it send() returns false. */
const kWriteQueueHighWater = 65536 * 2;

const INTERNAL_PREFIX = 'NODE_';

export function isInternal(message: unknown): boolean {
  if (message === null || typeof message !== 'object') return false;
  const cmd = (message as { cmd?: unknown }).cmd;
  return typeof cmd === 'string' && cmd.length > INTERNAL_PREFIX.length && cmd.startsWith(INTERNAL_PREFIX);
}

const channelDeprecationMsg = '_channel is deprecated. Use ChildProcess.channel instead.';

export function setupChannel(
  target: IpcTarget,
  fd: number,
  mode: SerializationMode,
  hooks: ChannelHooks = {},
): Control {
  const serialization = getSerialization(mode);
  const decoder = serialization.createDecoder();
  // A received descriptor waits here for the NODE_HANDLE message it came with.
  let pendingFd = -1;
  let closed = false;
  // send() returned false since the last 'drain'.
  let mustDrain = false;

  const native: NativeChannel = new binding.Channel(fd, onRead, (count, status) => writer.onWrite(count, status));
  if (hooks.startUnref) native.unref();
  const control = new Control(native);
  const writer = new FrameWriter(native, control, (error) => process.nextTick(() => target.emit('error', error)));
  trackOpen(native, hooks.peerPid ?? (() => undefined));

  target.channel = control;
  if (!channelAliasRemoved) Object.defineProperty(target, '_channel', {
    get: deprecate(() => target.channel, channelDeprecationMsg, 'DEP0129'),
    set: deprecate((value: Control | null) => {
      target.channel = value;
    }, channelDeprecationMsg, 'DEP0129'),
    configurable: true,
    enumerable: false,
  });
  target._handleQueue = null;
  target._pendingMessage = null;
  // Servers' sockets sent or received on this channel (getConnections()/close() across processes).
  const socketLists = new SocketLists(target);

  function closeNow(): void {
    if (closed) return;
    closed = true;
    native.close();
    trackClosed(native);
    if (pendingFd >= 0) binding.closeFd(pendingFd);
    pendingFd = -1;
    hooks.onClose?.();
  }

  function onRead(chunk: Buffer | undefined, fd: number, status: number): void {
    if (chunk === undefined) {
      if (status === kProtocolError) {
        onMalformed(new Error('the peer broke the shared-memory protocol'));
      } else {
        onEnd();
      }
      return;
    }
    if (fd >= 0) {
      if (pendingFd >= 0) binding.closeFd(pendingFd);
      pendingFd = fd;
    }
    try {
      const taken = decoder.push(chunk, deliver);
      // Stopped at a switch frame: what came after it on the socket are signals (shm-channel.cc).
      if (taken < chunk.length) native.shmSignals(chunk.subarray(taken));
    } catch (cause) {
      onMalformed(cause as Error);
    }
  }

  function deliver(message: unknown): void {
    if (tracing) traceFrame('in', message, mode === 'json' ? undefined : -1);
    if (!isInternal(message)) {
      handleMessage(message, undefined, false);
    } else if (shmAccepting && (message as { cmd: string }).cmd === kShmOffer.cmd) {
      decoder.halt();
      acceptShm();
    } else if (shmOffered && (message as { cmd: string }).cmd === kShmAccepted.cmd) {
      // The parent switched too: its bytes after this frame are in the other ring.
      decoder.halt();
      shmOffered = false;
      native.shmReadStart();
    } else if ((message as { cmd: string }).cmd === 'NODE_HANDLE') {
      const handleFd = pendingFd;
      pendingFd = -1;
      // Nobody will adopt a descriptor once the channel is gone: give it back at once.
      if (handleFd >= 0 && !target.channel) binding.closeFd(handleFd);
      else handleMessage(message, handleFd >= 0 ? handleFd : undefined, true);
    } else {
      handleMessage(message, undefined, true);
    }
  }

  // The shared-memory transport. Each side's switch frame is the last of its bytes on the
  // socket; it is handled here, synchronously, before the native channel reads on.
  let shmAccepting = hooks.shm === 'accept';
  let shmOffered = false;

  function offerShm(): void {
    // A build without rings (macOS, the BSDs, DEKA_IPC_PORTABLE): the socket it stays, and
    // the parent, which asked, keeps reading the socket since no offer comes.
    if (!binding.sharedRings) return;
    let memfd: number;
    try {
      memfd = native.shmCreate();
    } catch {
      return; // no memfd here (an old kernel, a sandbox): the socket it stays
    }
    // The memfd stays the native channel's until it closes: the frame may leave later.
    if (writer.write(serialization.encode(kShmOffer), memfd, { swallowErrors: true }) < 0) return;
    native.shmWriteStart();
    shmOffered = true;
  }

  function acceptShm(): void {
    shmAccepting = false;
    const memfd = pendingFd;
    pendingFd = -1;
    try {
      if (memfd < 0) throw new Error('no descriptor came with it');
      native.shmAttach(memfd);
    } catch (cause) {
      // The child writes into rings we cannot read: the channel cannot go on.
      const err = new Error(`IPC peer offered shared memory that is not usable: ${(cause as Error).message}`, { cause });
      (err as NodeJS.ErrnoException).code = 'ERR_IPC_BAD_MESSAGE';
      throw err;
    } finally {
      if (memfd >= 0) binding.closeFd(memfd);
    }
    native.shmReadStart();
    writer.write(serialization.encode(kShmAccepted), -1, { swallowErrors: true });
    native.shmWriteStart();
  }

  // The peer closed its end (or the socket failed): the channel is over.
  function onEnd(): void {
    if (writer.onDrained) {
      // A disconnect was waiting for our writes; they cannot go anywhere now.
      writer.onDrained();
    } else if (target.connected) {
      (target.disconnect as () => void)();
    } else if (target.channel) {
      (target._disconnect as () => void)();
    }
    // A socket still waiting for its ACK (the handle queue held the disconnect back) never
    // gets one now: close our copy.
    if (pendingSent) {
      releaseSent(pendingSent.handle);
      pendingSent = null;
    }
    closeNow();
    target.channel = null;
  }

  // Bytes that are not a message: say so clearly and shut the channel, rather than
  // throwing from inside the read callback (which would take the process down).
  function onMalformed(cause: Error): void {
    // A decoder's own coded error (e.g. an oversized frame) says enough; anything else
    // (JSON.parse, the V8 deserializer) is wrapped with one code for all bad input.
    let err = cause as NodeJS.ErrnoException;
    if (typeof err.code !== 'string') {
      err = new Error(`IPC channel received a malformed message: ${cause.message}`, { cause });
      err.code = 'ERR_IPC_BAD_MESSAGE';
    }
    onEnd();
    process.nextTick(() => {
      if (target.listenerCount('error') > 0) target.emit('error', err);
      else process.emitWarning(err);
    });
  }



  // A socket sent without keepOpen waits here for the receiver's ACK before it is closed.
  let pendingSent: (QueuedSend & { retransmissions: number }) | null = null;

  target.on('internalMessage', (message: HandleFrame | { cmd: string }, handle: unknown) => {
    if (message.cmd === 'NODE_HANDLE_ACK' || message.cmd === 'NODE_HANDLE_NACK') {
      const queue = target._handleQueue as QueuedSend[] | null;
      if (!queue) return;
      target._handleQueue = null;
      const resend = pendingSent;
      pendingSent = null;
      if (resend && (message.cmd === 'NODE_HANDLE_ACK' || resend.retransmissions >= kMaxHandleRetransmissions)) {
        releaseSent(resend.handle);
        if (message.cmd === 'NODE_HANDLE_NACK') {
          process.emitWarning('Handle did not reach the receiving process correctly', 'SentHandleNotReceivedWarning');
        }
      } else if (resend) {
        // The descriptor got lost on the way (MSG_CTRUNC on the receiver): send it again.
        send(resend.message, resend.handle, resend.options, resend.callback, resend.retransmissions + 1);
      }
      for (const item of queue) send(item.message, item.handle, item.options, item.callback);
      if (!target.connected && target.channel && !target._handleQueue) disconnectNow();
      return;
    }
    if (message.cmd !== 'NODE_HANDLE') return;
    // No descriptor arrived with the frame: say so, and the sender retransmits.
    if (typeof handle !== 'number') {
      send({ cmd: 'NODE_HANDLE_NACK' }, null, { swallowErrors: true });
      return;
    }
    // Acknowledging is not the user's send: a failure to do so must not raise 'error'.
    // A refused handle is acknowledged too: it arrived, and sending it again would not help.
    send({ cmd: 'NODE_HANDLE_ACK' }, null, { swallowErrors: true });
    const frame = message as HandleFrame;
    const mismatch = handleMismatch(frame, handle);
    if (mismatch !== null) {
      refuseHandle(frame, handle, mismatch);
      return;
    }
    try {
      adoptHandle(frame, handle, socketLists, (object) => handleMessage(frame.msg, object, isInternal(frame.msg)));
    } catch (err) {
      refuseHandle(frame, handle, (err as Error).message);
    }
  });

  // A handle the peer sent that cannot be what it claims: its descriptor is closed, the
  // message that came with it dropped, and the process told once per frame; the channel
  // goes on.
  function refuseHandle(frame: HandleFrame, fd: number, why: string): void {
    binding.closeFd(fd);
    process.emitWarning(`IPC peer sent a ${String(frame.type)} handle that was refused: ${why}`, {
      type: 'DekaIpcWarning',
      code: 'ERR_IPC_BAD_HANDLE',
    });
  }

  // Messages that arrived before anyone listened are delivered to the first listener.
  target.on('newListener', () => {
    process.nextTick(() => {
      if (!target.channel || !target.listenerCount('message')) return;
      const pending = target.channel[kPendingMessages];
      if (pending.length === 0) return;
      target.channel[kPendingMessages] = [];
      for (const args of pending) target.emit(...args);
    });
  });

  function emitMessage(event: string, message: unknown, handle: unknown): void {
    if (event === 'internalMessage' || target.listenerCount('message') > 0) {
      target.emit(event, message, handle);
    } else if (target.channel) {
      target.channel[kPendingMessages].push([event, message, handle]);
    }
  }

  function handleMessage(message: unknown, handle: unknown, internal: boolean): void {
    if (!target.channel) return;
    // Each message on its own tick: a throwing listener cannot swallow the ones after it.
    process.nextTick(emitMessage, internal ? 'internalMessage' : 'message', message, handle);
  }

  target.send = function sendPublic(message: unknown, handle?: unknown, options?: unknown, callback?: unknown) {
    if (typeof handle === 'function') {
      callback = handle;
      handle = undefined;
      options = undefined;
    } else if (typeof options === 'function') {
      callback = options;
      options = undefined;
    } else if (options !== undefined) {
      validateObject(options, 'options');
    }
    const sendOptions: SendOptions = options === undefined ? kDefaultSendOptions : { swallowErrors: false, ...(options as SendOptions) };
    if (target.connected) return send(message, handle, sendOptions, callback as Callback | undefined);
    const ex = new ERR_IPC_CHANNEL_CLOSED();
    if (typeof callback === 'function') process.nextTick(callback as Callback, ex);
    else process.nextTick(() => target.emit('error', ex));
    return false;
  };

  function send(
    message: unknown,
    handle: unknown,
    options: SendOptions | boolean | undefined,
    callback?: Callback,
    retransmissions = 0,
  ): boolean {
    if (message === undefined) throw new ERR_MISSING_ARGS('message');
    const type = typeof message;
    if (type !== 'string' && type !== 'object' && type !== 'number' && type !== 'boolean') {
      throw new ERR_INVALID_ARG_TYPE('message', ['string', 'object', 'number', 'boolean'], message);
    }
    // Legacy signature: a boolean in place of the options.
    if (typeof options === 'boolean') options = { swallowErrors: options };
    else if (options == null) options = {};

    const queue = target._handleQueue as QueuedSend[] | null;
    let wire: unknown = message;
    let fd = -1;
    let frame: HandleFrame | null = null;
    if (handle) {
      frame = { cmd: 'NODE_HANDLE', type: handleType(handle), msg: message };
      if (queue) {
        // One handle in flight at a time: the next waits for the ACK of this one.
        queue.push({ message, handle, options, callback });
        return queue.length === 1;
      }
      fd = descriptorOf(frame, handle, socketLists);
      // Nothing to pass (a closed socket, a server not listening): the message goes alone.
      if (fd >= 0) wire = frame;
    } else {
      const cmd = message !== null && type === 'object' ? (message as { cmd?: unknown }).cmd : undefined;
      if (queue && cmd !== 'NODE_HANDLE_ACK' && cmd !== 'NODE_HANDLE_NACK') {
        // Behind a handle waiting for its ACK: queue, so order is kept.
        queue.push({ message, handle: null, options, callback });
        return queue.length === 1;
      }
    }

    // A failed write of an internal message nobody waits on (cluster's NODE_CLUSTER traffic,
    // socket-list messages, ACK/NACK) is not the application's: when the peer is already gone
    // (EPIPE before its EOF was read) it must not become an unhandled 'error' on the process.
    // Node would raise it — and a cluster primary dies of it when a worker vanishes mid-send.
    const swallowErrors = Boolean(options.swallowErrors) || (typeof callback !== 'function' && isInternal(message));
    const done = { callback, swallowErrors };
    let result: number;
    if (tracing) {
      // The trace wants the frame's size: encode it first.
      const bytes = serialization.encode(wire);
      traceFrame('out', wire, typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length);
      result = writer.write(bytes, fd, done);
    } else {
      result = writer.writeMessage(wire, serialization, fd, done);
    }
    if (result >= 0 && fd >= 0 && frame) {
      target._handleQueue = [];
      const keepOpen = Boolean(options.keepOpen);
      detachSent(frame, handle, keepOpen);
      // The sender's copy goes once the receiver has it: a socket's, or the wrap a BoundSocket gave up.
      if ((frame.type === 'net.Socket' || frame.type === 'net.BoundSocket') && !keepOpen) pendingSent = { message, handle, options, callback, retransmissions };
    }
    if (writer.queuedBytes < kWriteQueueHighWater) return true;
    mustDrain = true;
    return false;
  }
  target._send = send;

  // Beyond Node: send() returned false, so once the queue is written out the sender hears
  // 'drain' and can go on, instead of polling with callbacks (or buffering without bound).
  writer.onEmpty = () => {
    if (!mustDrain) return;
    mustDrain = false;
    if (target.channel) target.emit('drain');
  };

  // connected turns false as soon as disconnect() is asked for; channel turns null once
  // the disconnect is under way; the socket closes once what was sent has been written.
  target.connected = true;

  target.disconnect = function disconnect() {
    if (!target.connected) {
      target.emit('error', new ERR_IPC_DISCONNECTED());
      return;
    }
    target.connected = false;
    if (!target._handleQueue) disconnectNow();
  };

  function disconnectNow(): void {
    target.channel = null;
    if (pendingSent) {
      releaseSent(pendingSent.handle);
      pendingSent = null;
    }
    let fired = false;
    const finish = () => {
      if (fired) return;
      fired = true;
      writer.onDrained = null;
      closeNow();
      target.emit('disconnect');
    };
    process.nextTick(() => {
      // Beyond Node: a disconnect does not cut off messages already accepted by send(), for a
      // peer that reads or runs; one that does neither (stopped, blocked) is given up on, as
      // at exit (peer-watch.ts), so the process can still end.
      if (!closed && writer.queuedBytes > 0) {
        const stopWatch = watchDrain(hooks.peerPid?.(), () => writer.queuedBytes, finish);
        writer.onDrained = () => {
          stopWatch();
          finish();
        };
      } else {
        finish();
      }
    });
  }
  target._disconnect = disconnectNow;

  native.readStart();
  if (hooks.shm === 'offer') offerShm();
  return control;
}
