// json mode, Node's wire format: JSON.stringify(message) + '\n' per message.
import type { Decoder } from './index';
import { frameTooLarge, resolveMaxFrameBytes, type DecoderOptions } from './frame-limit';

const kNewline = 0x0a;

export function encodeJson(message: unknown): string {
  return JSON.stringify(message) + '\n';
}

/**
 * Turns a stream of chunks into messages. Lines may be cut anywhere by the reads, UTF-8
 * sequences included: the decoder splits on the newline byte (which never occurs inside a
 * multi-byte UTF-8 sequence), keeps the pieces of an unfinished line and decodes each line
 * once it is whole, so a long line costs one copy however many reads brought it.
 */
export class JsonDecoder implements Decoder {
  readonly maxFrameBytes: number;
  #pieces: Buffer[] = [];
  #pieceBytes = 0;
  #refused = false;

  constructor(options?: DecoderOptions) {
    this.maxFrameBytes = resolveMaxFrameBytes(options);
  }

  /** True while part of a message has been read but not its end. */
  get buffering(): boolean {
    return this.#pieceBytes !== 0;
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
      deliver(JSON.parse(line));
    }
    if (start < chunk.length) {
      this.#pieceBytes += chunk.length - start;
      this.#check(this.#pieceBytes, false);
      this.#pieces.push(chunk.subarray(start));
    }
  }

  #takeLine(chunk: Buffer, start: number, end: number): string {
    const size = this.#pieceBytes + end - start;
    this.#check(size, true);
    if (this.#pieces.length === 0) return chunk.toString('utf8', start, end);
    const whole = Buffer.concat([...this.#pieces, chunk.subarray(start, end)], size);
    this.#pieces = [];
    this.#pieceBytes = 0;
    return whole.toString('utf8');
  }

  #check(size: number, complete: boolean): void {
    if (size <= this.maxFrameBytes) return;
    this.#pieces = [];
    this.#pieceBytes = 0;
    this.#refused = true;
    throw frameTooLarge(size, this.maxFrameBytes, complete);
  }
}
