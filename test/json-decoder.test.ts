// The json framing: messages must come out whole and in order however the reads cut them.
import t from 'tap';
import { encodeJson, JsonDecoder } from '../src/serialization/json';

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
