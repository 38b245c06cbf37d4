// The largest message a decoder accepts. A peer that announces (advanced) or streams (json)
// more is refused with ERR_IPC_FRAME_TOO_LARGE before anything of that size is allocated,
// and the channel closes (see onMalformed in channel/incoming.ts).
import { makeNodeError } from '../errors';

/** 1 GiB: far above any message an application sends, far below what would hurt. */
export const kDefaultMaxFrameBytes = 1024 * 1024 * 1024;

/** Environment override, inherited by children like the rest of the environment. */
export const kMaxFrameBytesEnv = 'DEKA_IPC_MAX_FRAME_BYTES';

export interface DecoderOptions {
  /** Largest message accepted, in bytes (advanced: the payload after the length prefix;
   *  json: the line without its newline). Default: DEKA_IPC_MAX_FRAME_BYTES, else 1 GiB. */
  maxFrameBytes?: number;
}

const warned = new Set<string>();

/** DEKA_IPC_MAX_FRAME_BYTES as a byte count; an unusable value warns once and is ignored. */
export function maxFrameBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[kMaxFrameBytesEnv];
  if (text === undefined || text === '') return kDefaultMaxFrameBytes;
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (Number.isSafeInteger(value) && value > 0) return value;
  if (!warned.has(text)) {
    warned.add(text);
    process.emitWarning(
      `deka-ipc: ignoring ${kMaxFrameBytesEnv}=${JSON.stringify(text)}: not a positive integer ` +
        `number of bytes; using the default of ${kDefaultMaxFrameBytes} bytes`,
    );
  }
  return kDefaultMaxFrameBytes;
}

/** The limit a new decoder uses: its option, else the environment, else the default. */
export function resolveMaxFrameBytes(options: DecoderOptions = {}): number {
  const { maxFrameBytes } = options;
  if (maxFrameBytes === undefined) return maxFrameBytesFromEnv();
  if (typeof maxFrameBytes !== 'number' || !(maxFrameBytes > 0) || !Number.isSafeInteger(maxFrameBytes)) {
    throw new RangeError(`deka-ipc: maxFrameBytes must be a positive integer, got ${String(maxFrameBytes)}`);
  }
  return maxFrameBytes;
}

function tooLargeMessage(size: number, max: number, complete: boolean): string {
  const what = complete
    ? `IPC message of ${size} bytes exceeds`
    : `IPC message exceeds (${size} bytes read without its end)`;
  return `${what} the maximum frame size of ${max} bytes (${kMaxFrameBytesEnv} raises it)`;
}

/**
 * `new ERR_IPC_FRAME_TOO_LARGE(size, max, complete)` -> RangeError. `complete`: the size is
 * the whole message's (a length prefix announced it); otherwise the bytes seen so far.
 */
export const ERR_IPC_FRAME_TOO_LARGE = makeNodeError<[size: number, max: number, complete: boolean]>(
  RangeError,
  'ERR_IPC_FRAME_TOO_LARGE',
  tooLargeMessage,
);

export function frameTooLarge(size: number, max: number, complete: boolean): Error {
  const err = new ERR_IPC_FRAME_TOO_LARGE(size, max, complete);
  Object.assign(err, { frameBytes: size, maxFrameBytes: max });
  return err;
}
