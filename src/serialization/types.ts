// The shapes the serialization modes share, apart from the index that loads the modes (which
// json.ts and advanced.ts would otherwise import, and be imported by).
import type { NativeChannel } from '../native';
import type { DecoderOptions } from './frame-limit';

export type SerializationMode = 'json' | 'advanced';

export interface Decoder {
  readonly buffering: boolean;
  /** Returns how much of the chunk it took: all of it, unless a delivery called halt(). */
  push(chunk: Buffer, deliver: (message: unknown) => void): number;
  /** From inside a delivery: push() returns right after that message, the rest untouched. */
  halt(): void;
}

export interface Serialization {
  /** The bytes of one message; throws synchronously when the value cannot be encoded. */
  encode(message: unknown): string | Buffer;
  /**
   * Writes the message's frame on `channel` without building it in JS where the addon can
   * (NativeChannel.write's answers), or answers kUseJs having written nothing. Throws
   * synchronously, before writing, what `encode` would throw.
   */
  writeNative(channel: NativeChannel, message: unknown, fd: number): number;
  /** A decoder for one channel's incoming stream; the size limit comes from `options`,
   *  else DEKA_IPC_MAX_FRAME_BYTES, else 1 GiB. */
  createDecoder(options?: DecoderOptions): Decoder;
}
