// The serialization modes a channel can speak; 'json' is Node's default.
import { encodeJson, JsonDecoder } from './json';
import { AdvancedDecoder, encodeAdvanced } from './advanced';
import type { DecoderOptions } from './frame-limit';

export type SerializationMode = 'json' | 'advanced';
export type { DecoderOptions } from './frame-limit';
export { kDefaultMaxFrameBytes, kMaxFrameBytesEnv } from './frame-limit';

export interface Decoder {
  readonly buffering: boolean;
  push(chunk: Buffer, deliver: (message: unknown) => void): void;
}

export interface Serialization {
  /** The bytes of one message; throws synchronously when the value cannot be encoded. */
  encode(message: unknown): string | Buffer;
  /** A decoder for one channel's incoming stream; the size limit comes from `options`,
   *  else DEKA_IPC_MAX_FRAME_BYTES, else 1 GiB. */
  createDecoder(options?: DecoderOptions): Decoder;
}

const modes: Record<string, Serialization> = {
  json: { encode: encodeJson, createDecoder: (options) => new JsonDecoder(options) },
  advanced: { encode: encodeAdvanced, createDecoder: (options) => new AdvancedDecoder(options) },
};

export function getSerialization(mode: string): Serialization {
  const found = Object.prototype.hasOwnProperty.call(modes, mode) ? modes[mode] : undefined;
  if (!found) throw new Error(`deka-ipc: unknown serialization mode '${mode}'`);
  return found;
}
