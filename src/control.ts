// `channel` as users see it (child.channel, process.channel): ref/unref with Node's
// counting rules over our native channel.
import { EventEmitter } from 'events';
import type { NativeChannel } from './native';

export const kPendingMessages = Symbol('deka-ipc.pendingMessages');

export class Control extends EventEmitter {
  #channel: NativeChannel;
  #refs = 0;
  #refExplicitlySet = false;
  /** Messages that arrived while nobody listened for 'message'. */
  [kPendingMessages]: [string, unknown, unknown][] = [];

  constructor(channel: NativeChannel) {
    super();
    this.#channel = channel;
  }

  // Counted refs follow 'message'/'disconnect' listeners and writes in flight; once the
  // user calls ref()/unref() explicitly, the counting stops deciding.
  refCounted(): void {
    if (++this.#refs === 1 && !this.#refExplicitlySet) this.#channel.ref();
  }

  unrefCounted(): void {
    if (--this.#refs === 0 && !this.#refExplicitlySet) {
      this.#channel.unref();
      this.emit('unref');
    }
  }

  ref(): void {
    this.#refExplicitlySet = true;
    this.#channel.ref();
  }

  unref(): void {
    this.#refExplicitlySet = true;
    this.#channel.unref();
  }

  get fd(): number | undefined {
    const fd = this.#channel.fd;
    return fd >= 0 ? fd : undefined;
  }
}
