// json mode, Node's wire format: JSON.stringify(message) + '\n' per message.
import { StringDecoder } from 'string_decoder';
import type { Decoder } from './index';
import { frameTooLarge, resolveMaxFrameBytes, type DecoderOptions } from './frame-limit';

const kNewline = 0x0a;

export function encodeJson(message: unknown): string {
  return JSON.stringify(message) + '\n';
}

/**
 * JSON.parse, except for a line that is a string with no escape in it: that one is just
 * the text between the quotes, taken as a slice (no second copy of a large message). The
 * checks are memchr-fast searches; a raw control character, which Node's writer never
 * produces and JSON.parse would refuse, is let through rather than scanned for.
 */
function parseLine(line: string): unknown {
  const last = line.length - 1;
  if (
    last > 0 &&
    line.charCodeAt(0) === 0x22 &&
    line.charCodeAt(last) === 0x22 &&
    line.indexOf('"', 1) === last &&
    line.indexOf('\\') === -1
  ) {
    return line.slice(1, last);
  }
  return JSON.parse(line);
}

/**
 * Turns a stream of chunks into messages. Lines may be cut anywhere by the reads, UTF-8
 * sequences included: the decoder splits on the newline byte (which never occurs inside a
 * multi-byte UTF-8 sequence). A line inside one chunk is decoded straight from it; the
 * pieces of a line cut by the reads are decoded as they come (the chunk is the native
 * channel's reused read buffer, so nothing may hold on to it) and joined once the line ends.
 */
export class JsonDecoder implements Decoder {
  readonly maxFrameBytes: number;
  readonly #utf8 = new StringDecoder('utf8');
  #parts: string[] = [];
  #partBytes = 0;
  #refused = false;

  constructor(options?: DecoderOptions) {
    this.maxFrameBytes = resolveMaxFrameBytes(options);
  }

  /** True while part of a message has been read but not its end. */
  get buffering(): boolean {
    return this.#partBytes !== 0;
  }

  /**
   * Calls `deliver` for every message the chunk completes, in order. A line that is not
   * JSON throws after the lines before it were delivered; the decoder stays usable. A line
   * longer than the limit (complete or still growing) throws ERR_IPC_FRAME_TOO_LARGE, after
   * which the decoder ignores whatever it is given.
   */
  push(chunk: Buffer, deliver: (message: unknown) => void): void {
    if (this.#refused) return;
    let start = 0;
    let newline = chunk.indexOf(kNewline);
    while (newline !== -1) {
      const line = this.#takeLine(chunk, start, newline);
      start = newline + 1;
      newline = chunk.indexOf(kNewline, start);
      try {
        deliver(parseLine(line));
      } catch (err) {
        // The chunk's unfinished last line still belongs to the next read.
        this.#keepTail(chunk, chunk.lastIndexOf(kNewline) + 1);
        throw err;
      }
    }
    this.#keepTail(chunk, start);
  }

  #keepTail(chunk: Buffer, start: number): void {
    if (start >= chunk.length) return;
    this.#partBytes += chunk.length - start;
    this.#check(this.#partBytes, false);
    this.#parts.push(this.#utf8.write(chunk.subarray(start)));
  }

  #takeLine(chunk: Buffer, start: number, end: number): string {
    if (this.#parts.length === 0) {
      this.#check(end - start, true);
      return chunk.toString('utf8', start, end);
    }
    this.#check(this.#partBytes + end - start, true);
    this.#parts.push(this.#utf8.end(chunk.subarray(start, end)));
    const line = this.#parts.join('');
    this.#parts = [];
    this.#partBytes = 0;
    return line;
  }

  #check(size: number, complete: boolean): void {
    if (size <= this.maxFrameBytes) return;
    this.#parts = [];
    this.#partBytes = 0;
    this.#refused = true;
    throw frameTooLarge(size, this.maxFrameBytes, complete);
  }
}
