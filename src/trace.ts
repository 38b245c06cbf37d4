// DEKA_IPC_TRACE=<file>: every message in and out of every deka-ipc channel, one JSON line
// each (time, pid, direction, size, message), appended by every process that inherits the
// variable. For reproducing IPC bugs of Next.js and other clients.
import fs from 'fs';

const traceFile = process.env.DEKA_IPC_TRACE || '';

/** Messages larger than this are recorded as a preview. */
const kFullMessageLimit = 64 * 1024;

export const tracing = traceFile !== '';

/** `size` undefined: the frame is the message's json line, measured from the text made here. */
export function traceFrame(direction: 'in' | 'out', message: unknown, size?: number): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(message);
  } catch {
    text = undefined;
  }
  size ??= text === undefined ? -1 : Buffer.byteLength(text) + 1;
  const entry: Record<string, unknown> = { time: Date.now(), pid: process.pid, direction, size };
  if (text === undefined) entry.message = String(message);
  else if (text.length <= kFullMessageLimit) entry.message = message;
  else entry.preview = text.slice(0, 1024);
  try {
    fs.appendFileSync(traceFile, JSON.stringify(entry) + '\n');
  } catch {
    // Tracing must never break the channel it watches.
  }
}
