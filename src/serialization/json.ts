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
   * the lines before it were delivered; the decoder then ignores whatever it is given.
   */
  push(chunk: Buffer, deliver: (message: unknown) => void): void {
    if (this.#refused) return;
    const last = chunk.lastIndexOf(kNewline);
    if (last === -1) {
      this.#keep(chunk);
      this.#check(this.#pieceBytes, false);
      return;
    }
    const first = chunk.indexOf(kNewline);
    const head = this.#takeLine(chunk, 0, first);
    // The lines wholly inside this chunk: decoded in one go when none of them can be over
    // the limit (the usual case: a read is far smaller than the limit), else one by one.
    const between = last > first && last - first - 1 <= this.maxFrameBytes
      ? chunk.toString('utf8', first + 1, last).split('\n')
      : null;
    // The unfinished tail is kept before any line is parsed, so a bad line loses nothing after it.
    if (last + 1 < chunk.length) this.#keep(chunk.subarray(last + 1));
    deliver(JSON.parse(head));
    if (between !== null) {
      for (const line of between) deliver(JSON.parse(line));
    } else {
      for (let start = first + 1; start <= last; ) {
        const end = chunk.indexOf(kNewline, start);
        this.#check(end - start, true);
        deliver(JSON.parse(chunk.toString('utf8', start, end)));
        start = end + 1;
      }
    }
    this.#check(this.#pieceBytes, false);
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

  #keep(piece: Buffer): void {
    this.#pieces.push(piece);
    this.#pieceBytes += piece.length;
  }

  #check(size: number, complete: boolean): void {
    if (size <= this.maxFrameBytes) return;
    this.#pieces = [];
    this.#pieceBytes = 0;
    this.#refused = true;
    throw frameTooLarge(size, this.maxFrameBytes, complete);
  }
}
