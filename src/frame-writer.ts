// The outgoing side of a channel. Every frame is handed to the native channel inside send(),
// as Node does: on an idle socket its bytes are in the kernel when send() returns, so a
// synchronous block, a kill or an exit right after cannot hold it back. Only while the kernel
// is not taking bytes do frames wait, gathered natively into few large writes.
// Callbacks keep Node's meaning: called once the frame's bytes are written (null) or failed.
import { kAppended, kQueued, kUseJs, kWritten, kWrittenBehind, type NativeChannel } from './native';
import type { Serialization } from './serialization';
import type { Control } from './channel/control';
import { Fifo } from './fifo';
import { errnoException } from './errors';

export type Callback = (error: Error | null) => void;

/** What to do when one frame is written or fails. */
export interface WriteDone {
  callback?: Callback;
  swallowErrors: boolean;
}

export class FrameWriter {
  readonly #native: NativeChannel;
  readonly #control: Control;
  readonly #emitError: (error: Error) => void;
  /** One entry per native request still in the kernel's hands: the frames it carries. */
  readonly #inFlight = new Fifo<WriteDone[]>();
  /** Called when nothing is left to write (used by a disconnect that waits for the queue). */
  onDrained: (() => void) | null = null;
  /** Called whenever the queue has been written out without an error (the channel's 'drain'). */
  onEmpty: (() => void) | null = null;

  constructor(native: NativeChannel, control: Control, emitError: (error: Error) => void) {
    this.#native = native;
    this.#control = control;
    this.#emitError = emitError;
  }

  /** Bytes accepted but not yet taken by the kernel. */
  get queuedBytes(): number {
    // Ask the native side only while it holds requests: a call per send() otherwise.
    return this.#inFlight.length > 0 ? this.#native.writeQueueSize : 0;
  }

  /** Writes one frame now, or queues it behind what the kernel has not taken yet. */
  write(bytes: string | Buffer, fd: number, done: WriteDone): number {
    return this.#settle(this.#native.write(bytes, fd), done);
  }

  /**
   * Writes one message's frame as write() does, encoded natively straight into the bytes
   * sent where the addon can. Throws, having written nothing, when the value cannot be
   * encoded.
   */
  writeMessage(message: unknown, serialization: Serialization, fd: number, done: WriteDone): number {
    let result = serialization.writeNative(this.#native, message, fd);
    if (result === kUseJs) result = this.#native.write(serialization.encode(message), fd);
    return this.#settle(result, done);
  }

  #settle(result: number, done: WriteDone): number {
    if (result === kQueued) {
      this.#control.refCounted();
      this.#inFlight.push([done]);
    } else if (result === kAppended) {
      this.#inFlight.peekLast()!.push(done);
    } else if (result === kWritten) {
      // Written at once: the callback still comes later, as Node's does.
      if (typeof done.callback === 'function') process.nextTick(done.callback, null);
    } else if (result === kWrittenBehind) {
      // Written, but the reader is behind: a callback waits for it to catch up, as Node's waits
      // for a full socket (the native side's pacing). Without one there is nothing to hold.
      if (typeof done.callback === 'function') {
        this.#native.holdCompletion();
        this.#control.refCounted();
        this.#inFlight.push([done]);
      }
    } else {
      const error = errnoException(result, 'write');
      process.nextTick(() => this.#finish([done], error));
      return result;
    }
    return 0;
  }

  /** The native channel reports `count` requests finished with `status`. */
  onWrite(count: number, status: number): void {
    const error = status < 0 ? errnoException(status, 'write') : null;
    for (let i = 0; i < count; i++) {
      const done = this.#inFlight.shift();
      this.#control.unrefCounted();
      if (done) this.#finish(done, error);
    }
    if (this.queuedBytes === 0) {
      this.onDrained?.();
      if (status >= 0) this.onEmpty?.();
    }
  }

  /**
   * The channel closed with `written` requests in the peer's hands whose completions the native
   * side held back (pacing): they succeeded. Later ones were dropped with the queue.
   */
  closed(written: number): void {
    for (let i = 0; i < written; i++) {
      const done = this.#inFlight.shift();
      this.#control.unrefCounted();
      if (done) process.nextTick(() => this.#finish(done, null));
    }
  }

  #finish(done: WriteDone[], error: Error | null): void {
    for (const { callback, swallowErrors } of done) {
      if (!error) {
        if (typeof callback === 'function') callback(null);
      } else if (!swallowErrors) {
        if (typeof callback === 'function') callback(error);
        else this.#emitError(error);
      }
    }
  }
}
