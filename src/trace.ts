// DEKA_IPC_TRACE=<file>: every message in and out of every deka-ipc channel, one JSON line
// each (time, pid, direction, size, message), appended by every process that inherits the
// variable. For reproducing IPC bugs of Next.js and other clients.
// Writing a line costs time bounded by a constant whatever the message: a small plain one is
// recorded whole; anything else (large, deep, binary) as a bounded preview.
import fs from 'fs';

const traceFile = process.env.DEKA_IPC_TRACE || '';

/** What a message recorded whole may hold at most. */
const kFullChars = 64 * 1024;
const kFullNodes = 10_000;
/** What a preview keeps: its JSON text, each string, each array or object, binary heads. */
const kPreviewChars = 1024;
const kPreviewItems = 1000;
const kBinaryHead = 16;

export const tracing = traceFile !== '';

type Budget = { nodes: number; chars: number; plain: boolean };

function binaryPreview(value: ArrayBufferView | ArrayBuffer): Record<string, unknown> {
  const bytes = ArrayBuffer.isView(value)
    ? new Uint8Array(value.buffer, value.byteOffset, Math.min(value.byteLength, kBinaryHead))
    : new Uint8Array(value, 0, Math.min(value.byteLength, kBinaryHead));
  return { '<binary>': value.constructor?.name ?? 'ArrayBuffer', byteLength: value.byteLength, head: Buffer.from(bytes).toString('hex') };
}

/**
 * A JSON-safe copy of `value` that visits at most kFullNodes values: binary data as its type,
 * length and first bytes, long strings and collections cut. Clears `budget.plain` when
 * anything had to be cut or replaced (the message is then recorded as a preview).
 */
function summarize(value: unknown, budget: Budget, seen: Set<object>): unknown {
  if (--budget.nodes < 0) {
    budget.plain = false;
    return '…';
  }
  if (typeof value === 'string') {
    budget.chars -= value.length;
    if (budget.chars < 0) budget.plain = false;
    return value.length > kPreviewChars ? `${value.slice(0, kPreviewChars)}…(${value.length} chars)` : value;
  }
  if (typeof value === 'bigint') {
    budget.plain = false;
    return `${value}n`;
  }
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    budget.plain = false;
    return binaryPreview(value);
  }
  if (seen.has(value)) {
    budget.plain = false;
    return '[Circular]';
  }
  seen.add(value);
  try {
    if (value instanceof Map || value instanceof Set) {
      budget.plain = false;
      const items = [...value].slice(0, kPreviewItems);
      return { [`<${value.constructor.name}>`]: value.size, items: summarize(items, budget, seen) };
    }
    if (Array.isArray(value)) {
      const out = value.slice(0, kPreviewItems).map((item) => summarize(item, budget, seen));
      if (value.length > kPreviewItems) {
        budget.plain = false;
        out.push(`…(${value.length} items)`);
      }
      return out;
    }
    const keys = Object.keys(value);
    if (keys.length > kPreviewItems) budget.plain = false;
    const out: Record<string, unknown> = {};
    for (const key of keys.slice(0, kPreviewItems)) {
      budget.chars -= key.length;
      out[key] = summarize((value as Record<string, unknown>)[key], budget, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** `size` undefined: the frame is the message's json line, measured from the text made here. */
export function traceFrame(direction: 'in' | 'out', message: unknown, size?: number): void {
  const entry: Record<string, unknown> = { time: Date.now(), pid: process.pid, direction, size: size ?? -1 };
  try {
    const budget: Budget = { nodes: kFullNodes, chars: kFullChars, plain: true };
    const summary = summarize(message, budget, new Set());
    let line: string;
    const text = budget.plain ? JSON.stringify(message) : undefined;
    if (text !== undefined) {
      // Small and plain: its JSON text is bounded by the budget, and is the frame's text.
      if (size === undefined) entry.size = Buffer.byteLength(text) + 1;
      line = `${JSON.stringify(entry).slice(0, -1)},"message":${text}}`;
    } else {
      entry.preview = JSON.stringify(summary).slice(0, kPreviewChars);
      line = JSON.stringify(entry);
    }
    fs.appendFileSync(traceFile, line + '\n');
  } catch {
    // Tracing must never break the channel it watches (a throwing toJSON, a full disk).
  }
}
