// The json framing: messages must come out whole and in order however the reads cut them.
import t from 'tap';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encodeJson, JsonDecoder } from '../src/serialization/json';

/** A full garbage collection, without starting tap's workers with --expose-gc. */
function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function decodeInChunks(bytes: Buffer, sizes: number[]): { messages: unknown[]; decoder: JsonDecoder } {
  const decoder = new JsonDecoder();
  const messages: unknown[] = [];
  let offset = 0;
  let i = 0;
  while (offset < bytes.length) {
    const size = sizes[i++ % sizes.length];
    decoder.push(bytes.subarray(offset, offset + size), (m) => messages.push(m));
    offset += size;
  }
  return { messages, decoder };
}

const samples: unknown[] = [
  'plain',
  '',
  0,
  false,
  null,
  { nested: { deep: [1, 2, { x: 'y' }] } },
  'emoji 😀 cjk 漢字 combining é',
  { cmd: 'NODE_HANDLE_ACK' },
  'line\nbreak inside a string',
];

const wire = Buffer.from(samples.map(encodeJson).join(''));

t.test('one chunk carrying many messages', async (t) => {
  const { messages, decoder } = decodeInChunks(wire, [wire.length]);
  t.same(messages, samples);
  t.equal(decoder.buffering, false);
});

t.test('every chunk size from 1 to 17 bytes, multi-byte UTF-8 cut anywhere', async (t) => {
  for (let size = 1; size <= 17; size++) {
    t.same(decodeInChunks(wire, [size]).messages, samples, `chunks of ${size}`);
  }
});

t.test('irregular chunk sizes', async (t) => {
  t.same(decodeInChunks(wire, [3, 1, 7, 2, 64, 5]).messages, samples);
});

t.test('a frame cut at EOF stays buffered and is not delivered', async (t) => {
  const decoder = new JsonDecoder();
  const messages: unknown[] = [];
  const partial = Buffer.from(encodeJson({ a: 1 }) + '{"b":');
  decoder.push(partial, (m) => messages.push(m));
  t.same(messages, [{ a: 1 }]);
  t.equal(decoder.buffering, true);
});

t.test('a malformed line throws after the good lines before it were delivered', async (t) => {
  const decoder = new JsonDecoder();
  const messages: unknown[] = [];
  t.throws(() => decoder.push(Buffer.from('1\n{oops\n2\n'), (m) => messages.push(m)), SyntaxError);
  t.same(messages, [1]);
});

t.test('a 1 MiB message split into 64 KiB reads', async (t) => {
  const big = 'é'.repeat(512 * 1024);
  const bytes = Buffer.from(encodeJson(big));
  t.same(decodeInChunks(bytes, [65536]).messages, [big]);
});

t.test('a line that cannot be JSON is refused at its first byte, before it is stored', async (t) => {
  const decoder = new JsonDecoder();
  const messages: unknown[] = [];
  decoder.push(Buffer.from('"ok"\n  '), (m) => messages.push(m));
  t.throws(() => decoder.push(Buffer.alloc(64 * 1024, 0xff), (m) => messages.push(m)), {
    name: 'SyntaxError',
    message: /starts with byte 0xff/,
  });
  t.same(messages, ['ok']);
  t.equal(decoder.buffering, false, 'nothing of it kept');
  decoder.push(Buffer.from('"after"\n'), (m) => messages.push(m));
  t.same(messages, ['ok'], 'a refused stream stays refused');
});

t.test('a line dripping in 1-3 bytes per read costs its size, not a string per read', async (t) => {
  const size = 8 * 1024 * 1024;
  const line = Buffer.from(encodeJson('q'.repeat(size - 3)));
  const decoder = new JsonDecoder();
  const messages: unknown[] = [];
  const deliver = (m: unknown) => messages.push(m);
  // As from the native channel, every read arrives in a reused buffer: the loop itself keeps
  // nothing, so whatever stays is the decoder's.
  const reads = [Buffer.alloc(1), Buffer.alloc(2), Buffer.alloc(3)];
  const gc = exposedGc();
  gc();
  // RSS outside the V8 heap: where the pending line lives.
  const outsideHeap = (m: NodeJS.MemoryUsage) => m.rss - m.heapTotal;
  const before = process.memoryUsage();
  let peakRss = 0;
  let offset = 0;
  for (let i = 0; offset < line.length - 1; i++) {
    const end = Math.min(offset + 1 + (i % 3), line.length - 1);
    const read = reads[end - offset - 1];
    line.copy(read, 0, offset, end);
    decoder.push(read, deliver);
    offset = end;
    if ((i & 0xffff) === 0) peakRss = Math.max(peakRss, outsideHeap(process.memoryUsage()) - outsideHeap(before));
  }
  gc();
  const pending = process.memoryUsage();
  peakRss = Math.max(peakRss, outsideHeap(pending) - outsideHeap(before));
  // 2.8 million reads: a string or an object kept per read would be tens of MiB of heap.
  const heapKept = pending.heapUsed - before.heapUsed;
  t.ok(heapKept <= 1024 * 1024, `heap kept while the line is pending: ${heapKept} bytes`);
  t.ok(pending.arrayBuffers - before.arrayBuffers <= 256 * 1024, 'no Buffer per read kept');
  // The bytes are copied once, outside the heap, into a block that doubles as it grows. In a
  // fresh process that shows as 1-3 bytes of RSS per byte (the line, plus the smaller blocks
  // the allocator keeps resident after each realloc; Node 20-26); here it can be less, since
  // earlier tests left freed memory to reuse. A native copy per read would be 10 or more.
  t.ok(peakRss <= 4 * size, `RSS outside the heap grew by ${peakRss} bytes (${(peakRss / size).toFixed(2)} per byte) for a ${size}-byte line`);
  decoder.push(line.subarray(line.length - 1), deliver);
  t.equal(messages.length, 1);
  t.equal((messages[0] as string).length, size - 3);
});

t.test('a line is JSON.parse\'s value or JSON.parse\'s error, whichever path decodes it', async (t) => {
  // Plain strings (decoded natively), strings with escapes and other values (JSON.parse),
  // whole inside one read or gathered across reads.
  const texts = [
    '"plain ascii"',
    '"latin-1 é ÿ and utf-8 😀"',
    '"escaped \\" quote"',
    '"escaped \\\\ backslash"',
    '"\\u0041 escape"',
    '""',
    '"' + 'x'.repeat(70000) + '"',
    ' "leading blank"',
    '"trailing blank" ',
    '{"a":"b"}',
  ];
  // Lines JSON.parse refuses: a raw control character inside a string, a lone quote.
  const refused = ['"raw \u0001 control"', '"raw\ttab"', '"' + 'y'.repeat(70000) + '\u001f"', '"', '"a"b"'];
  for (const text of [...texts, ...refused]) {
    let expected: unknown;
    let expectedError: Error | undefined;
    try {
      expected = JSON.parse(text);
    } catch (err) {
      expectedError = err as Error;
    }
    const bytes = Buffer.from(text + '\n');
    for (const sizes of [[bytes.length], [5], [4096]]) {
      const label = `${JSON.stringify(text.slice(0, 30))} in reads of ${sizes[0]}`;
      if (expectedError) {
        t.throws(() => decodeInChunks(bytes, sizes), { name: 'SyntaxError' }, label);
      } else {
        t.strictSame(decodeInChunks(bytes, sizes).messages, [expected], label);
      }
    }
  }
});

t.test('a large plain-string line gathered across reads comes out whole, ASCII or not', async (t) => {
  for (const text of ['a'.repeat(3 * 1024 * 1024), 'é'.repeat(1024 * 1024) + 'tail', 'b'.repeat(2 * 1024 * 1024) + '\\n']) {
    const bytes = Buffer.from(JSON.stringify(text) + '\n');
    const { messages, decoder } = decodeInChunks(bytes, [65536]);
    t.equal(messages.length, 1);
    t.ok(messages[0] === text, `${text.length} characters`);
    t.equal(decoder.buffering, false);
  }
});
