// advanced mode, Node's wire format: every message is
//   [uint32 big-endian N][N bytes: V8 serializer header + value]
// with Node's host-object convention inside the V8 stream: a host object starts with a
// uint32 tag, 0 = an ArrayBufferView written the way v8.DefaultSerializer writes it
// (Buffer, typed arrays, DataView), 1 = any other host object, written as a plain-object
// copy of its own enumerable properties.
// Frames are built and read by V8's serializer from the addon (src-native/advanced.cc),
// straight into the bytes the channel sends and straight out of the bytes it read. The JS
// encoder and decoder below, on v8.DefaultSerializer, are the same format for what the
// addon leaves to them (a view type it does not know, such as Float16Array; a frame above
// 4 GiB), and for a process without the addon.
import { types } from 'util';
import type { Decoder } from './types';
import { binding, nativeLoadError } from '../native';
import { frameTooLarge, resolveMaxFrameBytes, type DecoderOptions } from './frame-limit';

const kHeaderBytes = 4;
const kArrayBufferViewTag = 0;
const kNotArrayBufferViewTag = 1;
const kMaxLength = 0xffffffff;

// The JS serializer (v8.DefaultSerializer with Node's host-object convention) serves what
// the addon leaves to it, and a process without the addon. The v8 module costs ~14 M
// instructions to load (Node 20): it loads with the first value the addon leaves to JS.
// v8's own typings do not list the protected hooks a subclass overrides or calls.
interface SerializerHooks {
  _writeHostObject(object: object): void;
}
interface DeserializerHooks {
  _readHostObject(): unknown;
}

function makeJsSerializers() {
  const { DefaultDeserializer, DefaultSerializer } = require('v8') as typeof import('v8');
  const serializerBase = DefaultSerializer.prototype as unknown as SerializerHooks;
  const deserializerBase = DefaultDeserializer.prototype as unknown as DeserializerHooks;

  class MessageSerializer extends DefaultSerializer {
    _writeHostObject(object: object): void {
      if (types.isArrayBufferView(object)) {
        this.writeUint32(kArrayBufferViewTag);
        serializerBase._writeHostObject.call(this, object);
        return;
      }
      this.writeUint32(kNotArrayBufferViewTag);
      this.writeValue({ ...object });
    }
  }

  class MessageDeserializer extends DefaultDeserializer {
    _readHostObject(): unknown {
      const tag = this.readUint32();
      if (tag === kArrayBufferViewTag) return deserializerBase._readHostObject.call(this);
      if (tag === kNotArrayBufferViewTag) return this.readValue();
      throw new Error(`unknown host object tag ${tag} in an advanced-serialized message`);
    }
  }
  return { MessageSerializer, MessageDeserializer };
}

let jsSerializers: ReturnType<typeof makeJsSerializers> | null = null;
const js = () => (jsSerializers ??= makeJsSerializers());

// Stands in for the length while the value is written; patched once the size is known.
const lengthPlaceholder = Buffer.alloc(kHeaderBytes);

/**
 * What serializeAdvanced/deserializeAdvanced answer when they leave a value or a frame to
 * the JS side: a symbol of ours, since any number could be a decoded value (the write
 * methods' kUseJs is a number, from the addon).
 */
const kLeftToJs: unique symbol = Symbol('deka-ipc: use the JS serializer');

const native = nativeLoadError === null;
if (native) binding.configureAdvanced(Buffer, (object: object) => ({ ...object }), kLeftToJs);

/**
 * One message as it goes on the wire. A value V8 cannot clone throws here, synchronously,
 * with V8's "… could not be cloned." message, before anything is written.
 */
export function encodeAdvanced(message: unknown): Buffer {
  if (native) {
    const frame = binding.serializeAdvanced(message);
    if (frame !== kLeftToJs) return frame as Buffer;
  }
  return encodeAdvancedJs(message);
}

/** encodeAdvanced on v8.DefaultSerializer alone. */
export function encodeAdvancedJs(message: unknown): Buffer {
  const serializer = new (js().MessageSerializer)();
  serializer.writeRawBytes(lengthPlaceholder);
  serializer.writeHeader();
  serializer.writeValue(message);
  const frame = serializer.releaseBuffer();
  const length = frame.length - kHeaderBytes;
  if (length > kMaxLength) throw frameTooLarge(length, kMaxLength, true);
  frame.writeUInt32BE(length, 0);
  return frame;
}

/** The value of one frame's payload (the bytes after the length). */
export function decodeAdvancedPayload(payload: Buffer): unknown {
  return decodeFrame(payload, 0, payload.length, true);
}

/**
 * The value of the payload at buffer[start, end), read in place: nothing refers to the
 * buffer afterwards. `owned`: the buffer is the frame's own (the JS decoder, whose views
 * point into it, may then use it without a copy).
 */
function decodeFrame(buffer: Buffer, start: number, end: number, owned: boolean): unknown {
  if (native) {
    const value = binding.deserializeAdvanced(buffer, start, end, owned);
    if (value !== kLeftToJs) return value;
  }
  const payload = owned && start === 0 && end === buffer.length ? buffer : Buffer.from(buffer.subarray(start, end));
  const deserializer = new (js().MessageDeserializer)(payload);
  deserializer.readHeader();
  return deserializer.readValue();
}

/** Below this size a frame cut by the reads is gathered in the decoder's own reused buffer (kept
 *  with the channel: at most this much per channel). */
const kReusedFrameBytes = 256 * 1024;

/**
 * Turns a stream of chunks into messages. Nothing keeps a chunk (it is the native channel's
 * read buffer, reused by the next read): a frame inside one chunk is decoded where it lies, a
 * frame cut by the reads is gathered, as soon as its length is known, in the decoder's reused
 * buffer (below kReusedFrameBytes) or a buffer of its announced size, and each read is copied
 * into it and dropped: one copy per byte, and at most the frame itself held (its pages are
 * only committed as they fill, so a peer that announces much and sends little costs address
 * space, not memory). A length above the limit is refused as soon as its 4 bytes are in,
 * before anything is allocated.
 */
export class AdvancedDecoder implements Decoder {
  readonly maxFrameBytes: number;
  // A length prefix cut by the reads: the bytes of it read so far.
  #prefix: Buffer[] = [];
  #prefixBytes = 0;
  // The frame being filled, and how much of it is.
  #frame: Buffer | null = null;
  #filled = 0;
  // Frames below kReusedFrameBytes are gathered in one buffer the decoder keeps: no
  // allocation (and no garbage for the collector) per frame cut by the reads.
  #reused: Buffer | null = null;
  #refused = false;

  constructor(options?: DecoderOptions) {
    this.maxFrameBytes = resolveMaxFrameBytes(options);
  }

  /** True while part of a message has been read but not its end. */
  get buffering(): boolean {
    return this.#frame !== null || this.#prefixBytes !== 0;
  }

  /**
   * Calls `deliver` for every message the chunk completes, in order. A frame that cannot be
   * decoded throws after the frames before it were delivered (the rest of that chunk is
   * dropped). A length above the limit throws ERR_IPC_FRAME_TOO_LARGE; the stream has no
   * usable frame boundary after that, so the decoder ignores whatever it is given next.
   */
  push(chunk: Buffer, deliver: (message: unknown) => void): number {
    if (this.#refused) return chunk.length;
    let offset = 0;
    if (this.buffering) {
      offset = this.#continueFrame(chunk, deliver);
      if (offset < 0) return chunk.length;
      if (this.#halted) {
        this.#halted = false;
        return offset;
      }
    }
    // Whole frames inside this chunk: decoded where they lie, no copy.
    while (chunk.length - offset >= kHeaderBytes) {
      const length = this.#checkLength(chunk.readUInt32BE(offset));
      const end = offset + kHeaderBytes + length;
      if (end > chunk.length) {
        this.#startFrame(length, chunk.subarray(offset + kHeaderBytes));
        return chunk.length;
      }
      const start = offset + kHeaderBytes;
      offset = end;
      deliver(decodeFrame(chunk, start, end, false));
      if (this.#halted) {
        this.#halted = false;
        return offset;
      }
    }
    if (offset < chunk.length) {
      this.#prefix.push(Buffer.from(chunk.subarray(offset)));
      this.#prefixBytes = chunk.length - offset;
    }
    return chunk.length;
  }

  #halted = false;

  halt(): void {
    this.#halted = true;
  }

  // Feeds the start of `chunk` to the unfinished frame. Returns where the rest of the chunk
  // starts, or -1 when the whole chunk went into a frame that is still unfinished.
  #continueFrame(chunk: Buffer, deliver: (message: unknown) => void): number {
    let offset = 0;
    if (this.#frame === null) {
      // The length prefix itself was cut: at most 3 bytes are waiting.
      offset = Math.min(kHeaderBytes - this.#prefixBytes, chunk.length);
      this.#prefix.push(Buffer.from(chunk.subarray(0, offset)));
      this.#prefixBytes += offset;
      if (this.#prefixBytes < kHeaderBytes) return -1;
      const length = this.#checkLength(Buffer.concat(this.#prefix, kHeaderBytes).readUInt32BE(0));
      this.#prefix = [];
      this.#prefixBytes = 0;
      this.#startFrame(length, chunk.subarray(offset, offset));
    }
    const frame = this.#frame!;
    const take = Math.min(frame.length - this.#filled, chunk.length - offset);
    chunk.copy(frame, this.#filled, offset, offset + take);
    this.#filled += take;
    if (this.#filled < frame.length) return -1;
    this.#frame = null;
    this.#filled = 0;
    // A frame in the reused buffer is not the decoder's to give away (the next frame
    // overwrites it): decoded as one read in place is.
    deliver(decodeFrame(frame, 0, frame.length, frame.buffer !== this.#reused?.buffer));
    return offset + take;
  }

  #startFrame(length: number, first: Buffer): void {
    if (length < kReusedFrameBytes) {
      if (this.#reused === null || this.#reused.length < length) {
        this.#reused = Buffer.allocUnsafeSlow(Math.max(length, Math.min(2 * (this.#reused?.length ?? 0), kReusedFrameBytes)));
      }
      this.#frame = this.#reused.subarray(0, length);
    } else {
      this.#frame = Buffer.allocUnsafeSlow(length);
    }
    this.#filled = first.copy(this.#frame, 0);
  }

  #checkLength(length: number): number {
    if (length > this.maxFrameBytes) {
      this.#prefix = [];
      this.#prefixBytes = 0;
      this.#frame = null;
      this.#refused = true;
      throw frameTooLarge(length, this.maxFrameBytes, true);
    }
    return length;
  }
}
