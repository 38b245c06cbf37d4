// The write side: send()'s arguments as Node takes them, one frame per message handed to
// the frame writer (behind the handle queue when a handle is in flight), and Node's
// high-water mark on what waits, with 'drain' once it is written out.
import type { FrameWriter, Callback } from '../frame-writer';
import type { Serialization } from '../serialization';
import { handleType, type HandleFrame } from '../handles';
import { traceFrame, tracing } from '../trace';
import { ERR_INVALID_ARG_TYPE, ERR_IPC_CHANNEL_CLOSED, ERR_MISSING_ARGS } from '../errors';
import { validateObject } from '../validators';
import { isInternal } from './messages';
import type { HandleQueue } from './handle-queue';
import type { IpcTarget, Send, SendOptions } from './target';

/** What send() without options means; shared, never written to. */
const kDefaultSendOptions: SendOptions = Object.freeze({ swallowErrors: false });

/** Node's outgoing write-queue limit: past it send() returns false. */
const kWriteQueueHighWater = 65536 * 2;

/** Installs target.send and target._send; returns the latter. */
export function setupOutgoing(
  target: IpcTarget,
  writer: FrameWriter,
  serialization: Serialization,
  handles: HandleQueue,
): Send {
  // send() returned false since the last 'drain'.
  let mustDrain = false;

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

    const frame: HandleFrame | null = handle ? { cmd: 'NODE_HANDLE', type: handleType(handle), msg: message } : null;
    if (handles.busy(message, frame)) return handles.hold({ message, handle: frame ? handle : null, options, callback });
    // Nothing to pass (a closed socket, a server not listening): the message goes alone.
    const fd = frame ? handles.descriptor(frame, handle) : -1;
    const wire = fd >= 0 ? frame : message;

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
    if (result >= 0 && fd >= 0 && frame) handles.sent(frame, { message, handle, options, callback }, retransmissions);
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

  return send;
}
