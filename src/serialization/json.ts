// json mode, Node's wire format: JSON.stringify(message) + '\n' per message.
import type { Decoder } from './types';
import { binding, type LineBuffer } from '../native';
import { frameTooLarge, resolveMaxFrameBytes, type DecoderOptions } from './frame-limit';

const kNewline = 0x0a;

export function encodeJson(message: unknown): string {
  return JSON.stringify(message) + '\n';
}

const kQuote = 0x22;
const kBrace = 0x7b;

/**
 * The value of the json line chunk[start, end): JSON.parse's, always. A line that is a plain
 * string (no escape, no control character), or a flat object of such strings, integers,
 * booleans and null as JSON.stringify writes it, is decoded natively into its value, without
 * the intermediate text and JSON.parse's second pass over it.
 */
function parseSlice(chunk: Buffer, start: number, end: number): unknown {
  const first = chunk[start];
  if (first === kQuote || first === kBrace) {
    const value = binding.parseQuoted(chunk, start, end);
    if (value !== undefined) return value;
  }
  return JSON.parse(chunk.toString('utf8', start, end));
}

/** Bytes a JSON text may start with, after optional whitespace: { [ " - 0-9 t f n. */
function isJsonStart(byte: number): boolean {
  return (
    byte === 0x7b || byte === 0x5b || byte === 0x22 || byte === 0x2d ||
    (byte >= 0x30 && byte <= 0x39) || byte === 0x74 || byte === 0x66 || byte === 0x6e
  );
}

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Turns a stream of chunks into messages. Lines may be cut anywhere by the reads, UTF-8
 * sequences included: the decoder splits on the newline byte (which never occurs inside a
 * multi-byte UTF-8 sequence). A line inside one chunk is decoded straight from it. A line
 * cut by the reads is gathered as raw bytes outside the V8 heap (the chunk is the native
 * channel's reused read buffer, so nothing may hold on to it) and decoded once, when it
 * ends: a partial line costs its own size however small the reads are and whatever the
 * bytes, and a line that cannot be JSON is refused at its first byte.
 */
export class JsonDecoder implements Decoder {
  readonly maxFrameBytes: number;
  #pending: LineBuffer | null = null;
  #pendingBytes = 0;
  /** Whether the pending line's first non-blank byte has been seen (and was a JSON start). */
  #started = false;
  #refused = false;

  constructor(options?: DecoderOptions) {
    this.maxFrameBytes = resolveMaxFrameBytes(options);
  }

  /** True while part of a message has been read but not its end. */
  get buffering(): boolean {
    return this.#pendingBytes !== 0;
  }

  /**
   * Calls `deliver` for every message the chunk completes, in order. A line that is not
   * JSON throws after the lines before it were delivered; the decoder stays usable. A line
   * longer than the limit (complete or still growing), or one that starts with a byte no
   * JSON text starts with, throws, after which the decoder ignores whatever it is given.
   */
  push(chunk: Buffer, deliver: (message: unknown) => void): number {
    if (this.#refused) return chunk.length;
    let start = 0;
    let newline = chunk.indexOf(kNewline);
    while (newline !== -1) {
      const whole = this.#pendingBytes === 0;
      this.#check(this.#pendingBytes + newline - start, true);
      if (!whole) this.#keep(chunk, start, newline);
      const lineStart = start;
      start = newline + 1;
      newline = chunk.indexOf(kNewline, start);
      try {
        deliver(whole ? parseSlice(chunk, lineStart, start - 1) : this.#takePending());
      } catch (err) {
        // The chunk's unfinished last line still belongs to the next read.
        this.#keep(chunk, chunk.lastIndexOf(kNewline) + 1, chunk.length);
        throw err;
      }
      if (this.#halted) {
        this.#halted = false;
        return start;
      }
    }
    this.#keep(chunk, start, chunk.length);
    return chunk.length;
  }

  #halted = false;

  halt(): void {
    this.#halted = true;
  }

  #keep(chunk: Buffer, start: number, end: number): void {
    if (start >= end) return;
    this.#check(this.#pendingBytes + end - start, false);
    if (!this.#started) this.#checkStart(chunk, start, end);
    this.#pending ??= new binding.LineBuffer();
    this.#pending.append(chunk, start, end);
    this.#pendingBytes += end - start;
  }

  /** The value of the line gathered across reads; its bytes are freed. */
  #takePending(): unknown {
    const pending = this.#pending!;
    this.#pendingBytes = 0;
    this.#started = false;
    const quoted = pending.takeQuoted();
    return quoted !== undefined ? quoted : JSON.parse(pending.take());
  }

  /** A pending line whose first non-blank byte cannot start JSON will never parse: refuse it now. */
  #checkStart(chunk: Buffer, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const byte = chunk[i];
      if (isJsonSpace(byte)) continue;
      this.#started = true;
      if (isJsonStart(byte)) return;
      this.#refuse();
      throw new SyntaxError(`IPC json line starts with byte 0x${byte.toString(16).padStart(2, '0')}, which no JSON text starts with`);
    }
  }

  #refuse(): void {
    this.#pending?.clear();
    this.#pendingBytes = 0;
    this.#refused = true;
  }

  #check(size: number, complete: boolean): void {
    if (size <= this.maxFrameBytes) return;
    this.#refuse();
    throw frameTooLarge(size, this.maxFrameBytes, complete);
  }
}
