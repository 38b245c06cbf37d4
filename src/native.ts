// Loads the compiled addon (src-native/) and describes what it offers.
import path from 'path';

/** One end of the socketpair, polled on the event loop (src-native/channel.cc). */
export interface NativeChannel {
  readStart(): void;
  readStop(): void;
  /**
   * 0: the kernel took every byte now; 1: queued, `onwrite` reports it; < 0: -errno.
   * An array is one request whose parts leave back to back.
   */
  write(data: Buffer | string | (Buffer | string)[], fd?: number): number;
  /** Blocks until the queue is written or `timeoutMs` passes; returns bytes still queued. */
  flushSync(timeoutMs: number): number;
  ref(): void;
  unref(): void;
  close(): void;
  readonly writeQueueSize: number;
  readonly fd: number;
}

/**
 * `chunk` is a view of the thread's reused read buffer, valid only during the call;
 * undefined at EOF or on a read error (`status` < 0). `fd` is a descriptor that came with
 * the bytes, or -1.
 */
export type OnRead = (chunk: Buffer | undefined, fd: number, status: number) => void;
export type OnWrite = (count: number, status: number) => void;

export interface Binding {
  Channel: new (fd: number, onread: OnRead, onwrite: OnWrite) => NativeChannel;
  socketPair(): [number, number];
  closeFd(fd: number): void;
}

const addonPath = path.join(__dirname, '..', 'build', 'Release', 'deka_ipc.node');

function load(): Binding {
  try {
    return require(addonPath) as Binding;
  } catch (cause) {
    const err = new Error(
      `deka-ipc: the native addon could not be loaded from ${addonPath}. ` +
        `Rebuild it with \`npm rebuild deka-ipc\` (or \`npx node-gyp rebuild\` in the package folder). ` +
        `Cause: ${(cause as Error).message}`,
      { cause },
    );
    (err as NodeJS.ErrnoException).code = 'ERR_DEKA_IPC_NATIVE_MISSING';
    throw err;
  }
}

export const binding: Binding = load();
