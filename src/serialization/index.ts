// The serialization modes a channel can speak; 'json' is Node's default.
import { encodeJson, JsonDecoder } from './json';

export type SerializationMode = 'json' | 'advanced';

export interface Decoder {
  readonly buffering: boolean;
  push(chunk: Buffer, deliver: (message: unknown) => void): void;
}

export interface Serialization {
  encode(message: unknown): string | Buffer;
  createDecoder(): Decoder;
}

const modes: Record<string, Serialization> = {
  json: { encode: encodeJson, createDecoder: () => new JsonDecoder() },
};

export function getSerialization(mode: string): Serialization {
  const found = modes[mode];
  if (!found) throw new Error(`deka-ipc: serialization '${mode}' is not supported yet`);
  return found;
}
