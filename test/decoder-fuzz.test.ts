// A million mutated frames through both decoders: a hostile peer's bytes may be anything,
// and whatever they are the decoder must either deliver messages or throw an Error —
// never crash the process, throw something that is not an Error, hang, or keep going after
// it refused a stream. Mutations: flipped bits, bytes inserted, dropped and overwritten,
// frames cut short or run together, length prefixes replaced; every frame cut into reads
// of random sizes. Deterministic (seeded), so a failure can be replayed.
import t from 'tap';
import { getSerialization, type SerializationMode } from '../src/serialization';

const kFrames = Number(process.env.DEKA_FUZZ_FRAMES || 1_000_000);
// A million frames take longer than the default per-file limit on a slow machine.
t.setTimeout(600_000);

// xorshift32: fast, seeded, good enough to pick mutations.
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const samples: unknown[] = [
  'plain', '', 0, -1.5e300, true, null, [1, [2, [3]]], { cmd: 'NODE_HANDLE', type: 'net.Socket', msg: { a: 1 } },
  { nested: { deep: { deeper: ['é', '漢字', '😀'] } } }, 'x'.repeat(300), { cmd: 'NODE_HANDLE_ACK' },
];

function mutate(frame: Buffer, pick: (n: number) => number): Buffer {
  let bytes = frame;
  const edits = 1 + pick(4);
  for (let e = 0; e < edits; e++) {
    const at = pick(bytes.length + 1);
    switch (pick(7)) {
      case 0: // flip a bit
        if (bytes.length) (bytes = Buffer.from(bytes))[at % bytes.length] ^= 1 << pick(8);
        break;
      case 1: // insert a byte
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.of(pick(256)), bytes.subarray(at)]);
        break;
      case 2: // drop a few
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + pick(4))]);
        break;
      case 3: // overwrite with a byte that means something to a decoder
        if (bytes.length) (bytes = Buffer.from(bytes))[at % bytes.length] = [0x00, 0xff, 0x0a, 0x22, 0x5c, 0x7b][pick(6)];
        break;
      case 4: // cut short
        bytes = bytes.subarray(0, at);
        break;
      case 5: // a new length prefix (or json's first four bytes)
        bytes = Buffer.concat([Buffer.of(pick(256), pick(256), pick(256), pick(256)), bytes.subarray(4)]);
        break;
      default: // run into (part of) the next frame
        bytes = Buffer.concat([bytes, frame.subarray(0, pick(frame.length + 1))]);
    }
  }
  return bytes;
}

function fuzz(t: Tap.Test, mode: SerializationMode, frames: number, seed: number): void {
  const serialization = getSerialization(mode);
  const encoded = samples.map((s) => {
    const e = serialization.encode(s);
    return typeof e === 'string' ? Buffer.from(e) : e;
  });
  const pick = rng(seed);
  let delivered = 0;
  let threw = 0;
  let badThrows = 0;
  let afterRefusal = 0;
  for (let i = 0; i < frames; i++) {
    // A small limit: a mutated length prefix may not make the test allocate gigabytes.
    const decoder = serialization.createDecoder({ maxFrameBytes: 64 * 1024 });
    const input = mutate(encoded[pick(encoded.length)], pick);
    let refused = false;
    for (let at = 0; at < input.length; ) {
      const size = 1 + pick(Math.max(1, input.length));
      const chunk = input.subarray(at, at + size);
      at += size;
      try {
        decoder.push(chunk, () => {
          delivered++;
          if (refused) afterRefusal++;
        });
      } catch (err) {
        threw++;
        if (!(err instanceof Error)) badThrows++;
        // A frame too large (either mode) or a line no JSON could start leaves no usable
        // boundary: the decoder must ignore the rest. Other bad frames are skipped, and the
        // channel above closes on them anyway.
        const code = (err as { code?: unknown }).code;
        if (code === 'ERR_IPC_FRAME_TOO_LARGE' || /which no JSON text starts with/.test(String((err as Error).message))) refused = true;
      }
    }
  }
  t.equal(badThrows, 0, `${mode}: everything thrown is an Error`);
  t.ok(delivered > 0 && threw > 0, `${mode}: ${frames} frames: ${delivered} messages delivered, ${threw} refusals`);
  t.equal(afterRefusal, 0, `${mode}: nothing delivered after the decoder refused the stream`);
}

t.test('json decoder', async (t) => fuzz(t, 'json', Math.ceil(kFrames * 0.6), 0x5eed));
t.test('advanced decoder', async (t) => fuzz(t, 'advanced', Math.floor(kFrames * 0.4), 0xfade));
