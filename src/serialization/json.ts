// json mode, Node's wire format: JSON.stringify(message) + '\n' per message.
import { StringDecoder } from 'string_decoder';

export function encodeJson(message: unknown): string {
  return JSON.stringify(message) + '\n';
}

/**
 * Turns a stream of chunks into messages. UTF-8 sequences and lines may be cut
 * anywhere by the reads; the decoder keeps the unfinished tail for the next chunk.
 */
export class JsonDecoder {
  private readonly utf8 = new StringDecoder('utf8');
  private tail = '';

  /** True while part of a message has been read but not its end. */
  get buffering(): boolean {
    return this.tail.length !== 0;
  }

  /**
   * Calls `deliver` for every message the chunk completes, in order. A line that is not
   * JSON throws after the lines before it were delivered; the decoder stays usable.
   */
  push(chunk: Buffer, deliver: (message: unknown) => void): void {
    const text = this.utf8.write(chunk);
    if (text.indexOf('\n') === -1) {
      this.tail += text;
      return;
    }
    const lines = text.split('\n');
    lines[0] = this.tail + lines[0];
    this.tail = lines.pop()!;
    for (const line of lines) deliver(JSON.parse(line));
  }
}
