// Loads the compiled addon (src-native/) and describes what it offers. Loading never throws:
// where the addon cannot load (--no-addons, the permission model, a missing or mismatched
// build, an OS without a native channel) `nativeLoadError` says why, and the preload leaves
// Node's builtin IPC in place.
// Which binary: build/Release (a build from source: a clone, or an install that compiled)
// first, else the prebuild in prebuilds/<platform>-<arch>/ made for this Node's ABI and libc
// (scripts/prebuild.js) — node-gyp-build's order. The two files it would find on glibc Linux
// are tried by name first (see addonFile); node-gyp-build decides everything else.
import fs from 'fs';
import path from 'path';
import { nativeMissing, unsupportedPlatform } from './deka-errors';

/** One end of the socketpair, polled on the event loop (src-native/channel.cc, over stream.h). */
export interface NativeChannel {
  readStart(): void;
  readStop(): void;
  /** Reads now, without the turn's budget, everything up to the peer's current end (EOF included). */
  readPending(): void;
  /** kWritten, kQueued, kAppended or kWrittenBehind (Constants), or -errno. */
  write(data: Buffer | string, fd?: number): number;
  /**
   * As write(JSON.stringify(text) + '\n') for a one-byte string that needs no escape, without
   * the stringify; kUseJs (nothing written) for any other string.
   */
  writeQuoted(text: string, fd?: number): number;
  /**
   * As write(frame) with the value's advanced frame, serialized by V8 into the bytes sent.
   * Throws what V8's serializer throws (nothing written); kUseJs for a value left to
   * the JS encoder.
   */
  writeAdvanced(value: unknown, fd?: number): number;
  /** Creates the shared rings (src-native/shm-ring.h); returns the memfd to send the peer. */
  shmCreate(): number;
  /** Maps the peer's rings from its memfd (which stays the caller's); throws for anything else. */
  shmAttach(fd: number): void;
  /** The peer's switch frame was just delivered: its bytes now come from the ring. */
  shmReadStart(): void;
  /** Our switch frame was just written: everything after it goes to the ring. */
  shmWriteStart(): void;
  /** Our bytes go back to the socket for good (a program is about to write to channel.fd). */
  shmWriteStop(): void;
  /** Socket bytes the decoder left after the switch frame it stopped at: signals. */
  shmSignals(bytes: Buffer): void;
  ref(): void;
  unref(): void;
  /** Stops and closes now; → the writes the peer has whose completions were held back. */
  close(): number;
  /** The write just answered kWrittenBehind has a callback: onwrite reports it once the reader caught up. */
  holdCompletion(): void;
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

/** A json line being read, held outside the V8 heap until it ends (src-native/line-buffer.cc). */
export interface LineBuffer {
  append(chunk: Buffer, start: number, end: number): void;
  /** The line decoded as UTF-8; the bytes are freed. */
  take(): string;
  /** The value of a line that is a plain JSON string ('"' + text without '"', '\\' or a
   *  control character + '"'), the bytes freed; undefined (bytes kept) for any other line. */
  takeQuoted(): string | undefined;
  clear(): void;
  readonly size: number;
}

/** The addon's answers, named once in src-native/contract.h (binding.constants). */
export interface Constants {
  /** write*(): the kernel (or the ring) took every byte now. */
  kWritten: number;
  /** write*(): queued as a new request, which onwrite reports. */
  kQueued: number;
  /** write*(): appended to the last queued request; done when that one is. */
  kAppended: number;
  /** writeQuoted()/writeAdvanced(): nothing written, the value is left to the JS encoder. */
  kUseJs: number;
  /** write*(): the ring took every byte, its reader is behind: a callback waits (holdCompletion()). */
  kWrittenBehind: number;
  /** The read status of a peer that broke the shared-memory protocol (uv's -EPROTO). */
  kProtocolError: number;
}

export interface Binding {
  readonly constants: Constants;
  Channel: new (fd: number, onread: OnRead, onwrite: OnWrite) => NativeChannel;
  LineBuffer: new () => LineBuffer;
  socketPair(): [number, number];
  closeFd(fd: number): void;
  /** What a descriptor is: a socket, of which type, family and state (see handle-check.ts). */
  describeFd(fd: number): object;
  /**
   * Blocks while the channels' queues are written, all at once, until they are empty, each
   * peer (`peerPids[i]`, the process at the other end) has neither taken a byte nor run for
   * `stallMs`, or `timeoutMs` passed; returns the bytes still queued.
   */
  flushSync(channels: NativeChannel[], timeoutMs: number, stallMs: number, peerPids?: (number | undefined)[]): number;
  /** Whether process `pid` runs (Linux /proc); undefined where that cannot be known. */
  samplePeer(pid: number): { gone: boolean; runnable: boolean; stopped: boolean; cpuTicks: number } | undefined;
  /** As LineBuffer.takeQuoted, for buffer[start, end). */
  parseQuoted(buffer: Buffer, start: number, end: number): string | undefined;
  /** Buffer's constructor, `o => ({...o})`, and what the two below answer for "use JS". */
  configureAdvanced(buffer: typeof Buffer, spread: (object: object) => object, useJs: symbol): void;
  /** A value's advanced frame (length prefix included), or useJs. */
  serializeAdvanced(value: unknown): Buffer | symbol;
  /** The value of the advanced payload buffer[start, end), read in place, or useJs. */
  deserializeAdvanced(buffer: Buffer, start: number, end: number, owned?: boolean): unknown;
  /** Whether this build has the shared-memory rings (src-native/platform.h); false off Linux. */
  readonly sharedRings: boolean;
}

const packageRoot = path.join(__dirname, '..');

/**
 * The OS as deka-ipc sees it: DEKA_IPC_SIMULATE_PLATFORM (tests only) makes it another, to
 * show what a user there gets; no binary is loaded for a platform that is not the real one.
 */
const platform = process.env.DEKA_IPC_SIMULATE_PLATFORM || process.platform;

/**
 * The OSes the native code is written for (Linux, and macOS and the BSDs through the portable
 * POSIX path). Windows needs named pipes, a later phase. (scripts/install.js holds the same list.)
 */
const nativePlatform = /^(linux|darwin|freebsd|openbsd|netbsd)$/;

function missing(cause: unknown): Error {
  return nativeMissing(
    `deka-ipc: the native addon could not be loaded from ${packageRoot} (no build in build/Release, ` +
      `no prebuild in prebuilds/ for this platform and Node ABI, or one that fails to load). ` +
      `Rebuild it with \`npm rebuild deka-ipc\` (needs python3, make and a C++ compiler). ` +
      `Cause: ${(cause as Error).message.trim()}`,
    cause,
  );
}

function unsupported(): Error {
  return unsupportedPlatform(`deka-ipc: no native channel on ${platform} yet (named pipes on Windows are a later phase)`);
}

// The binary node-gyp-build would pick in the common cases, named without asking it: every
// child of a deka-ipc parent loads the addon, and node-gyp-build's module and its directory
// scans cost ~2.5 ms there (Node 20), 20 times the two existsSync calls. Null leaves the choice
// to node-gyp-build: its settings (PREBUILDS_ONLY, LIBC), musl (Alpine), other platforms.
function addonFile(): string | null {
  if (platform !== 'linux' || process.env.PREBUILDS_ONLY || process.env.LIBC) return null;
  const built = path.join(packageRoot, 'build', 'Release', 'deka_ipc.node');
  if (fs.existsSync(built)) return built;
  if (fs.existsSync('/etc/alpine-release')) return null;
  const prebuilt = path.join(packageRoot, 'prebuilds', `linux-${process.arch}`, `deka-ipc.abi${process.versions.modules}.glibc.node`);
  return fs.existsSync(prebuilt) ? prebuilt : null;
}

function load(): { binding: Binding | null; error: Error | null } {
  if (!nativePlatform.test(platform)) return { binding: null, error: unsupported() };
  try {
    if (platform !== process.platform) {
      throw new Error(`no native build for platform=${platform} (simulated by DEKA_IPC_SIMULATE_PLATFORM)`);
    }
    const file = addonFile();
    if (file !== null) {
      try {
        return { binding: require(file) as Binding, error: null };
      } catch {
        // node-gyp-build says why (or finds another that loads).
      }
    }
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    return { binding: nodeGypBuild(packageRoot) as Binding, error: null };
  } catch (cause) {
    return { binding: null, error: missing(cause) };
  }
}

const loaded = load();

/** Why the addon is not there, or null when it loaded. */
export const nativeLoadError: Error | null = loaded.error;

/** True when the addon is off on purpose (--no-addons, the permission model without --allow-addons). */
export const addonsDisabled =
  (nativeLoadError?.cause as NodeJS.ErrnoException | undefined)?.code === 'ERR_DLOPEN_DISABLED';

function throwMissing(): never {
  throw nativeLoadError;
}

/** The addon, or (when it could not load) a stand-in whose every use throws why. */
export const binding: Binding =
  loaded.binding ??
  ({
    Channel: function Channel() {
      throwMissing();
    },
    LineBuffer: function LineBuffer() {
      throwMissing();
    },
    socketPair: throwMissing,
    closeFd: throwMissing,
    describeFd: throwMissing,
    flushSync: throwMissing,
    samplePeer: throwMissing,
    // Without the addon no channel exists to answer: nothing compares with these.
    constants: {},
  } as unknown as Binding);

export const { kWritten, kQueued, kAppended, kUseJs, kWrittenBehind, kProtocolError } = binding.constants;
