// The outgoing side of a channel: frames go to the native channel, small ones coalesced so
// that the messages of one tick leave in one write (one syscall) instead of one each.
// Callbacks keep Node's meaning: called once the frame's bytes are written (null) or failed.
import type { NativeChannel } from './native';
import type { Control } from './control';
import { Fifo } from './fifo';
import { errnoException } from './errors';

export type Callback = (error: Error | null) => void;

/** What to do when one frame is written or fails. */
export interface WriteDone {
  callback?: Callback;
  swallowErrors: boolean;
}

/** Frames at least this large are written on their own: coalescing them saves nothing. */
const kCoalesceFrameLimit = 8 * 1024;
/**
 * A batch is written as soon as it holds this much. Small batches keep both processes busy
 * (the peer starts on the first messages while we encode the next ones): measured on the
 * 64 B pipeline, 8 KiB batches beat one batch per tick by ~1.5x, and 512 B ones lose again
 * to syscall cost.
 */
const kCoalesceBatchLimit = 8 * 1024;

export class FrameWriter {
  readonly #native: NativeChannel;
  readonly #control: Control;
  readonly #emitError: (error: Error) => void;
  /** One entry per native request still in the kernel's hands: the frames it carries. */
  readonly #inFlight = new Fifo<WriteDone[]>();
  #batch: (string | Buffer)[] = [];
  #batchDone: WriteDone[] = [];
  #batchBytes = 0;
  #flushScheduled = false;
  readonly #flushBound = () => {
    this.#flushScheduled = false;
    this.flush();
  };
  /** Called when nothing is left to write (used by a disconnect that waits for the queue). */
  onDrained: (() => void) | null = null;

  constructor(native: NativeChannel, control: Control, emitError: (error: Error) => void) {
    this.#native = native;
    this.#control = control;
    this.#emitError = emitError;
  }

  /** Bytes accepted but not yet taken by the kernel (UTF-16 units for unsent strings). */
  get queuedBytes(): number {
    // Ask the native side only while it holds requests: a call per send() otherwise.
    return (this.#inFlight.length > 0 ? this.#native.writeQueueSize : 0) + this.#batchBytes;
  }

  /**
   * Takes one frame. A frame carrying a descriptor, or a large one, is written now (after
   * whatever is batched, to keep the order); a small one joins the batch written at the
   * end of this tick. Returns a negative errno only for a frame written now that failed.
   */
  write(bytes: string | Buffer, fd: number, done: WriteDone): number {
    if (fd >= 0 || bytes.length >= kCoalesceFrameLimit) {
      this.flush();
      return this.#writeNow(bytes, fd, [done]);
    }
    this.#batch.push(bytes);
    this.#batchDone.push(done);
    this.#batchBytes += bytes.length;
    if (this.#batchBytes >= kCoalesceBatchLimit) {
      this.flush();
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flushBound);
    }
    return 0;
  }

  /** Hands the batch to the native channel as one request. */
  flush(): void {
    if (this.#batch.length === 0) return;
    const batch = this.#batch.length === 1 ? this.#batch[0] : this.#batch;
    const done = this.#batchDone;
    this.#batch = [];
    this.#batchDone = [];
    this.#batchBytes = 0;
    this.#writeNow(batch, -1, done);
  }

  /** At process exit: everything out now, blocking up to `timeoutMs`. */
  flushSync(timeoutMs: number): void {
    this.flush();
    if (this.#native.writeQueueSize > 0) this.#native.flushSync(timeoutMs);
  }

  /** The native channel reports `count` requests finished with `status`. */
  onWrite(count: number, status: number): void {
    const error = status < 0 ? errnoException(status, 'write') : null;
    for (let i = 0; i < count; i++) {
      const done = this.#inFlight.shift();
      this.#control.unrefCounted();
      if (done) this.#finish(done, error);
    }
    if (this.queuedBytes === 0) this.onDrained?.();
  }

  #writeNow(data: string | Buffer | (string | Buffer)[], fd: number, done: WriteDone[]): number {
    const result = this.#native.write(data as string, fd);
    if (result === 1) {
      this.#control.refCounted();
      this.#inFlight.push(done);
    } else {
      // Written (or failed) at once: callbacks still come later, as Node's do.
      process.nextTick(() => this.#finish(done, result < 0 ? errnoException(result, 'write') : null));
    }
    return result < 0 ? result : 0;
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
