// The serialization modes a channel can speak; 'json' is Node's default.
import { encodeJson, JsonDecoder } from './json';
import { kUseJs } from '../native';
import type { Serialization } from './types';

/** NativeChannel.writeQuoted as the addon has it: a string or any object (kUseJs when not written). */
interface JsonWriter {
  writeQuoted(value: unknown, fd: number): number;
}

export type { Decoder, Serialization, SerializationMode } from './types';
export type { DecoderOptions } from './frame-limit';
export { kDefaultMaxFrameBytes, kMaxFrameBytesEnv } from './frame-limit';

// advanced mode's module (and the v8 module under it, ~19 M instructions of start-up on
// Node 20) loads with the first advanced channel: a json child never pays for it.
let advancedModule: typeof import('./advanced') | null = null;
const advanced = () => (advancedModule ??= require('./advanced') as typeof import('./advanced'));

const modes: Record<string, Serialization> = {
  json: {
    encode: encodeJson,
    // A string that needs no escape, and a flat object of such strings, numbers, booleans
    // and null (src-native/json-object.h), skip JSON.stringify; every other value takes it.
    writeNative: (channel, message, fd) =>
      typeof message === 'string' || (typeof message === 'object' && message !== null && !Array.isArray(message))
        ? (channel as unknown as JsonWriter).writeQuoted(message, fd)
        : kUseJs,
    createDecoder: (options) => new JsonDecoder(options),
  },
  advanced: {
    encode: (message) => advanced().encodeAdvanced(message),
    // The module configures the addon's serializer as it loads: load it before the first write.
    writeNative: (channel, message, fd) => (advanced(), channel.writeAdvanced(message, fd)),
    createDecoder: (options) => new (advanced().AdvancedDecoder)(options),
  },
};

export function getSerialization(mode: string): Serialization {
  const found = Object.prototype.hasOwnProperty.call(modes, mode) ? modes[mode] : undefined;
  if (!found) throw new Error(`deka-ipc: unknown serialization mode '${mode}'`);
  return found;
}
