// `channel` as users see it (child.channel, process.channel): reference counting with
// Node's rules over our native channel, and how the target exposes it.
import { EventEmitter } from 'events';
import { deprecate } from 'util';
import type { NativeChannel } from '../native';
import { channelAliasRemoved } from '../node-line';
import type { IpcTarget } from './target';

export const kPendingMessages = Symbol('deka-ipc.pendingMessages');
/** Reads what the peer's bytes hold now, to their end (see spawn.ts's exit order). */
export const kReadPending = Symbol('deka-ipc.readPending');

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

  [kReadPending](): void {
    this.#channel.readPending();
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
    // A program that asks may write frames of its own there, as Node's tests do: from now on
    // ours go there too, in order, not into shared memory. Node itself only compares the
    // number (is stdout the channel?) whenever a piped stdout or stderr is first used.
    if (!calledFromNode()) this.#channel.shmWriteStop();
    const fd = this.#channel.fd;
    return fd >= 0 ? fd : undefined;
  }
}

const channelDeprecationMsg = '_channel is deprecated. Use ChildProcess.channel instead.';

/** Sets target.channel, and the deprecated `_channel` alias on the Node lines that still have it. */
export function exposeControl(target: IpcTarget, control: Control): void {
  target.channel = control;
  if (!channelAliasRemoved) Object.defineProperty(target, '_channel', {
    get: deprecate(() => target.channel, channelDeprecationMsg, 'DEP0129'),
    set: deprecate((value: Control | null) => {
      target.channel = value;
    }, channelDeprecationMsg, 'DEP0129'),
    configurable: true,
    enumerable: false,
  });
}

/** The child side: the channel alone does not keep the process alive; 'message' and 'disconnect' listeners do. */
export function refWhileListened(target: NodeJS.Process, control: Control): void {
  target.on('newListener', (name) => {
    if (name === 'message' || name === 'disconnect') control.refCounted();
  });
  target.on('removeListener', (name) => {
    if (name === 'message' || name === 'disconnect') control.unrefCounted();
  });
}

/** Whether the caller of the getter that calls this is Node's own code (a node: module). */
function calledFromNode(): boolean {
  const { prepareStackTrace, stackTraceLimit } = Error;
  try {
    Error.stackTraceLimit = 3;
    Error.prepareStackTrace = (_error, sites) => sites;
    // [this function, the getter, its caller]
    const sites = new Error().stack as unknown as NodeJS.CallSite[];
    return sites[2]?.getFileName()?.startsWith('node:') === true;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}
