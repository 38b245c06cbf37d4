// advanced serialization: values round-trip, frames come out whole however the reads cut
// them, the size limit holds in both modes, and our bytes are Node's bytes.
import t from 'tap';
import { once } from 'events';
import { builtin } from '../src/builtin';
import { AdvancedDecoder, decodeAdvancedPayload, encodeAdvanced, encodeAdvancedJs } from '../src/serialization/advanced';
import { JsonDecoder, encodeJson } from '../src/serialization/json';
import { getSerialization } from '../src/serialization';
import { kDefaultMaxFrameBytes, maxFrameBytesFromEnv } from '../src/serialization/frame-limit';

type Decoder = AdvancedDecoder | JsonDecoder;

function feed(decoder: Decoder, bytes: Buffer, sizes: number[]): unknown[] {
  const messages: unknown[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length];
    decoder.push(bytes.subarray(offset, offset + size), (m) => messages.push(m));
    offset += size;
  }
  return messages;
}

function header(length: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(length);
  return b;
}

/** Every value the issue lists, built the same way on each call. */
function samples(): unknown[] {
  const arrayBuffer = new ArrayBuffer(16);
  new Uint8Array(arrayBuffer).forEach((_, i, a) => (a[i] = i * 7));
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  circular.list = [circular, { back: circular }];
  const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const error = new RangeError('out of range');
  const withCause = new Error('outer', { cause: new TypeError('inner') });
  return [
    'plain',
    '',
    'two-byte 😀 漢字 é',
    0,
    -0,
    NaN,
    Infinity,
    2 ** 53 + 2,
    true,
    null,
    Buffer.from('Hello!'),
    Buffer.from('pooled slice of a bigger buffer').subarray(7, 13),
    Buffer.alloc(0),
    new Int8Array([-128, 0, 127]),
    new Uint8Array([0, 1, 255]),
    new Uint8ClampedArray([0, 128, 255]),
    new Int16Array([-32768, 32767]),
    new Uint16Array([0, 65535]),
    new Int32Array([-(2 ** 31), 2 ** 31 - 1]),
    new Uint32Array([0, 2 ** 32 - 1]),
    new Float32Array([Math.fround(Math.PI), -0, NaN]),
    new Float64Array([Math.PI, Number.MIN_VALUE, -Infinity]),
    new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]),
    new BigUint64Array([0n, 2n ** 64n - 1n]),
    new DataView(arrayBuffer, 3, 9),
    new Uint16Array(arrayBuffer, 2, 3), // offset kept even: the receiver may realign
    { views: [new Uint8Array(arrayBuffer, 1, 5), new DataView(arrayBuffer)] },
    new Map<unknown, unknown>([
      [1, 'one'],
      ['k', { v: [1, 2] }],
      [{ key: 'object' }, new Set([1])],
    ]),
    new Set([1, 'two', 3n, null]),
    new Date(Date.UTC(2020, 1, 29, 12, 30)),
    /ab+c/gimsuy,
    new Error('Something went wrong'),
    error,
    new TypeError('typed'),
    withCause,
    { bigInt: 1337n }, // a bigint alone is refused by send() before any encoding
    [-(2n ** 200n), 0n],
    { u: undefined, n: null, nested: { u: undefined } },
    [undefined, undefined],
    sparse,
    circular,
    { cmd: 'notNODE_', kind: 'a user message that looks internal' },
    { bool: new Boolean(false), num: new Number(3), str: new String('boxed') },
  ];
}

t.test('every kind of value round-trips through our encoder and decoder', async (t) => {
  const values = samples();
  const wire = Buffer.concat(values.map(encodeAdvanced));
  const messages = feed(new AdvancedDecoder(), wire, [wire.length]);
  t.equal(messages.length, values.length);
  values.forEach((value, i) => {
    t.strictSame(messages[i], value, `value ${i}`);
    if (value !== null && typeof value === 'object') {
      t.equal(Object.getPrototypeOf(messages[i]), Object.getPrototypeOf(value), `value ${i}: prototype`);
    }
  });
  const find = (test: (v: any) => boolean) => messages[values.findIndex((v) => v !== null && test(v))] as any;
  const circular = find((v) => typeof v === 'object' && 'self' in v);
  t.equal(circular.self, circular, 'a cycle stays a cycle');
  t.equal(circular.list[1].back, circular);
  t.ok(Object.hasOwn(find((v) => typeof v === 'object' && 'u' in v), 'u'), 'an undefined property is kept');
  t.ok(Object.is(find((v) => Object.is(v, -0)), -0), '-0 stays -0');
});

t.test('a value V8 cannot clone throws synchronously with its message', async (t) => {
  const cases: [string, unknown, string | RegExp][] = [
    ['method', { f() {} }, /^f\(\) \{\s*\} could not be cloned\.$/],
    ['arrow', { f: () => 1 }, '() => 1 could not be cloned.'],
    ['promise', { p: Promise.resolve() }, '#<Promise> could not be cloned.'],
    ['promise at the top', Promise.resolve(), '#<Promise> could not be cloned.'],
    ['symbol', [Symbol('s')], 'Symbol(s) could not be cloned.'],
    ['weak map', { w: new WeakMap() }, '#<WeakMap> could not be cloned.'],
  ];
  for (const [what, value, message] of cases) {
    t.throws(() => encodeAdvanced(value), { name: 'Error', message }, what);
  }
});

t.test('frames cut anywhere: every chunk size from 1 to 17, and irregular ones', async (t) => {
  const values = samples();
  const wire = Buffer.concat(values.map(encodeAdvanced));
  for (let size = 1; size <= 17; size++) {
    const decoder = new AdvancedDecoder();
    t.strictSame(feed(decoder, wire, [size]), values, `chunks of ${size}`);
    t.equal(decoder.buffering, false);
  }
  t.strictSame(feed(new AdvancedDecoder(), wire, [3, 1, 7, 2, 64, 5, 1000, 1]), values);
  const invalidDate = feed(new AdvancedDecoder(), encodeAdvanced(new Date(NaN)), [2])[0] as Date;
  t.ok(invalidDate instanceof Date && Number.isNaN(invalidDate.getTime()), 'an invalid Date stays one');
});

t.test('the length prefix cut in every place, across three reads', async (t) => {
  const frame = encodeAdvanced({ payload: 'x'.repeat(70000) });
  for (let a = 0; a <= 4; a++) {
    for (let b = a; b <= 4; b++) {
      const decoder = new AdvancedDecoder();
      const got: unknown[] = [];
      for (const part of [frame.subarray(0, a), frame.subarray(a, b), frame.subarray(b)]) {
        if (part.length) decoder.push(part, (m) => got.push(m));
      }
      t.equal(got.length, 1, `cut at ${a}/${b}`);
    }
  }
});

t.test('buffering reports an unfinished frame, header or payload', async (t) => {
  const decoder = new AdvancedDecoder();
  const frame = encodeAdvanced('abc');
  const got: unknown[] = [];
  t.equal(decoder.buffering, false);
  decoder.push(frame.subarray(0, 2), (m) => got.push(m));
  t.equal(decoder.buffering, true, 'half a length');
  decoder.push(frame.subarray(2, 4), (m) => got.push(m));
  t.equal(decoder.buffering, true, 'a length and no payload');
  decoder.push(frame.subarray(4), (m) => got.push(m));
  t.equal(decoder.buffering, false);
  t.same(got, ['abc']);
  decoder.push(Buffer.alloc(0), (m) => got.push(m));
  t.equal(decoder.buffering, false, 'an empty read changes nothing');
});

t.test('a frame spanning many reads is copied once, not once per read', async (t) => {
  const big = Buffer.alloc(8 * 1024 * 1024, 7);
  const frame = encodeAdvanced(big);
  const realConcat = Buffer.concat;
  let copied = 0;
  Buffer.concat = function (list: readonly Uint8Array[], length?: number) {
    const out = realConcat.call(Buffer, list, length);
    copied += out.length;
    return out;
  } as typeof Buffer.concat;
  let got: unknown[];
  try {
    got = feed(new AdvancedDecoder(), frame, [4096]);
  } finally {
    Buffer.concat = realConcat;
  }
  t.equal(got.length, 1);
  t.ok(big.equals(got[0] as Buffer), 'the buffer arrives intact');
  t.ok(copied <= frame.length, `bytes copied while framing: ${copied} for a ${frame.length}-byte frame`);
});

t.test('the length is read unsigned', async (t) => {
  // 0x80000005 read signed would be negative, i.e. "already complete".
  const decoder = new AdvancedDecoder({ maxFrameBytes: 2 ** 32 });
  const got: unknown[] = [];
  decoder.push(Buffer.concat([header(0x80000005), Buffer.from('12345')]), (m) => got.push(m));
  t.same(got, [], 'nothing delivered');
  t.equal(decoder.buffering, true, 'still waiting for 2 GiB');
});

t.test('a length above the limit is refused as soon as it is read', async (t) => {
  for (const length of [0x80000000, 0x80000001, 0xffffffff, kDefaultMaxFrameBytes + 1]) {
    const decoder = new AdvancedDecoder();
    t.throws(
      () => decoder.push(header(length), () => t.fail('nothing is delivered')),
      {
        name: 'RangeError',
        code: 'ERR_IPC_FRAME_TOO_LARGE',
        message: `IPC message of ${length} bytes exceeds the maximum frame size of ${kDefaultMaxFrameBytes} bytes ` +
          '(DEKA_IPC_MAX_FRAME_BYTES raises it)',
        frameBytes: length,
        maxFrameBytes: kDefaultMaxFrameBytes,
      },
      `0x${length.toString(16)}`,
    );
    t.equal(decoder.buffering, false);
    decoder.push(encodeAdvanced('after'), () => t.fail('a refused stream stays refused'));
  }

  // Exactly at the limit passes; one byte more does not, also with the length split.
  const atLimit = encodeAdvanced('x'.repeat(100));
  const limit = atLimit.length - 4;
  t.same(feed(new AdvancedDecoder({ maxFrameBytes: limit }), atLimit, [atLimit.length]), ['x'.repeat(100)]);
  const over = new AdvancedDecoder({ maxFrameBytes: limit - 1 });
  const small = encodeAdvanced('small');
  const got: unknown[] = [];
  // The small frame and half of the big one's length in one read, the other half next.
  over.push(Buffer.concat([small, atLimit.subarray(0, 2)]), (m) => got.push(m));
  t.same(got, ['small']);
  t.throws(() => over.push(atLimit.subarray(2, 4), () => t.fail()), {
    code: 'ERR_IPC_FRAME_TOO_LARGE',
    frameBytes: limit,
    maxFrameBytes: limit - 1,
  });
});

t.test('frames before a bad one are delivered, then it throws', async (t) => {
  const bad = Buffer.concat([header(3), Buffer.from([0xff, 0x0f, 0x5c]), header(4), Buffer.from([0, 0, 0, 7])]);
  const got: unknown[] = [];
  const decoder = new AdvancedDecoder();
  t.throws(() => decoder.push(Buffer.concat([encodeAdvanced(1), bad]), (m) => got.push(m)));
  t.same(got, [1]);
  // An empty frame and an unknown host-object tag are errors too, without a code.
  for (const payload of [Buffer.alloc(0), Buffer.from([1, 2, 3])]) {
    try {
      new AdvancedDecoder().push(Buffer.concat([header(payload.length), payload]), () => t.fail());
      t.fail('expected a throw');
    } catch (err) {
      t.equal((err as NodeJS.ErrnoException).code, undefined, 'no code: setupChannel wraps it');
    }
  }
  t.throws(() => decodeAdvancedPayload(Buffer.from([0xff, 0x0f, 0x5c, 7])), /unknown host object tag 7/);
});

t.test('json: a line longer than the limit is refused, growing or whole', async (t) => {
  const line = encodeJson('y'.repeat(100)); // 102 bytes + newline
  const size = Buffer.byteLength(line) - 1;
  t.same(feed(new JsonDecoder({ maxFrameBytes: size }), Buffer.from(line), [7]), ['y'.repeat(100)]);

  const growing = new JsonDecoder({ maxFrameBytes: size - 1 });
  const got: unknown[] = [];
  growing.push(Buffer.from('1\n' + line.slice(0, 60)), (m) => got.push(m));
  t.throws(() => growing.push(Buffer.from(line.slice(60, -1)), () => t.fail()), {
    name: 'RangeError',
    code: 'ERR_IPC_FRAME_TOO_LARGE',
    message: `IPC message exceeds (${size} bytes read without its end) the maximum frame size of ${size - 1} bytes ` +
      '(DEKA_IPC_MAX_FRAME_BYTES raises it)',
  });
  t.same(got, [1], 'the line before it was delivered');
  growing.push(Buffer.from('2\n'), () => t.fail('a refused stream stays refused'));

  const whole = new JsonDecoder({ maxFrameBytes: size - 1 });
  t.throws(() => whole.push(Buffer.from(`3\n${line}4\n`), (m) => got.push(m)), {
    code: 'ERR_IPC_FRAME_TOO_LARGE',
    frameBytes: size,
  });
  t.same(got, [1, 3]);

  // Multi-byte UTF-8 is counted in bytes.
  t.throws(() => feed(new JsonDecoder({ maxFrameBytes: 9 }), Buffer.from(encodeJson('éééé')), [1]), {
    code: 'ERR_IPC_FRAME_TOO_LARGE',
  });
});

t.test('json: a bad line in a chunk keeps the unfinished line after it', async (t) => {
  const decoder = new JsonDecoder();
  const got: unknown[] = [];
  t.throws(() => decoder.push(Buffer.from('1\n{oops\n{"tail":'), (m) => got.push(m)), SyntaxError);
  decoder.push(Buffer.from('"kept"}\n'), (m) => got.push(m));
  t.same(got, [1, { tail: 'kept' }]);
  t.equal(decoder.buffering, false);
});

t.test('DEKA_IPC_MAX_FRAME_BYTES sets the default limit', async (t) => {
  t.equal(maxFrameBytesFromEnv({}), kDefaultMaxFrameBytes);
  t.equal(maxFrameBytesFromEnv({ DEKA_IPC_MAX_FRAME_BYTES: '4096' }), 4096);
  const warnings: string[] = [];
  // Only ours: the runtime may warn about other things meanwhile (Node 26 deprecates the
  // module.register() tap's loader uses).
  const onWarning = (w: Error) => {
    if (w.message.includes('DEKA_IPC_MAX_FRAME_BYTES')) warnings.push(w.message);
  };
  process.on('warning', onWarning);
  t.equal(maxFrameBytesFromEnv({ DEKA_IPC_MAX_FRAME_BYTES: '1e3' }), kDefaultMaxFrameBytes);
  t.equal(maxFrameBytesFromEnv({ DEKA_IPC_MAX_FRAME_BYTES: '0' }), kDefaultMaxFrameBytes);
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', onWarning);
  t.match(warnings, [/ignoring DEKA_IPC_MAX_FRAME_BYTES="1e3"/, /ignoring DEKA_IPC_MAX_FRAME_BYTES="0"/]);

  const saved = process.env.DEKA_IPC_MAX_FRAME_BYTES;
  process.env.DEKA_IPC_MAX_FRAME_BYTES = '64';
  try {
    const decoder = getSerialization('advanced').createDecoder();
    t.throws(() => decoder.push(header(65), () => {}), { code: 'ERR_IPC_FRAME_TOO_LARGE' });
    t.equal((getSerialization('json').createDecoder() as JsonDecoder).maxFrameBytes, 64);
    t.equal((getSerialization('json').createDecoder({ maxFrameBytes: 5 }) as JsonDecoder).maxFrameBytes, 5);
  } finally {
    if (saved === undefined) delete process.env.DEKA_IPC_MAX_FRAME_BYTES;
    else process.env.DEKA_IPC_MAX_FRAME_BYTES = saved;
  }
  t.throws(() => new AdvancedDecoder({ maxFrameBytes: 0 }), RangeError);
  t.throws(() => getSerialization('foo'), /unknown serialization mode 'foo'/);
});

// Node's own writer and reader, through Node's builtin IPC in advanced mode: the parent side
// is this process's builtin channel; the child does not set up IPC (env(1) removes
// NODE_CHANNEL_FD) and only relays raw bytes: fd 3 -> stdout, stdin -> fd 3.
const relay = `
const net = require('net');
const ipc = new net.Socket({ fd: 3, readable: true, writable: true });
ipc.pipe(process.stdout);
process.stdin.pipe(ipc);
`;

/** Splits raw advanced-mode bytes into frames, with nothing of ours involved. */
function splitFrames(bytes: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let offset = 0;
  while (bytes.length - offset >= 4) {
    const end = offset + 4 + bytes.readUInt32BE(offset);
    if (end > bytes.length) break;
    frames.push(bytes.subarray(offset, end));
    offset = end;
  }
  return frames;
}

t.test('byte compatibility with Node\'s builtin advanced IPC, both ways', async (t) => {
  const child = builtin.spawn(
    '/usr/bin/env',
    ['-u', 'NODE_CHANNEL_FD', '-u', 'NODE_CHANNEL_SERIALIZATION_MODE', process.execPath, '-e', relay],
    {
      stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  t.teardown(() => child.kill());
  const values = samples();
  const ours = values.map(encodeAdvanced);

  // Node's writer: the builtin parent sends, the relay hands us the raw bytes.
  const raw: Buffer[] = [];
  const allRead = new Promise<Buffer[]>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      raw.push(chunk);
      const frames = splitFrames(Buffer.concat(raw));
      if (frames.length === values.length) resolve(frames);
    });
  });
  for (const value of values) child.send(value as any);
  const nodeFrames = await allRead;
  values.forEach((_, i) => {
    t.ok(nodeFrames[i].equals(ours[i]), `value ${i}: our bytes are Node's bytes`) ||
      t.comment(`node ${nodeFrames[i].toString('hex')}\nours ${ours[i].toString('hex')}`);
  });

  // Node's reader: our bytes go raw into the builtin channel and must come out as the values.
  const received: unknown[] = [];
  const allReceived = new Promise<void>((resolve) => {
    child.on('message', (message) => {
      received.push(message);
      if (received.length === values.length) resolve();
    });
  });
  // One write of everything, and again cut into odd pieces with a pause between them.
  child.stdin!.write(Buffer.concat(ours));
  await allReceived;
  t.strictSame(received, values, 'Node decodes our frames to the same values');
  received.length = 0;
  const again = new Promise<void>((resolve) => {
    const check = () => (received.length === values.length ? resolve() : setTimeout(check, 5));
    check();
  });
  const all = Buffer.concat(ours);
  for (let offset = 0; offset < all.length; offset += 333) {
    child.stdin!.write(all.subarray(offset, offset + 333));
    if (offset % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await again;
  t.strictSame(received, values, 'and from pieces');

  child.stdin!.end();
  child.disconnect();
  const [code, signal] = await once(child, 'exit');
  t.equal(code, 0);
  t.equal(signal, null);
});

t.test('a large buffer: same bytes as Node for 8 MiB', async (t) => {
  const big = new Uint8Array(8 * 1024 * 1024).fill(3);
  const child = builtin.spawn(
    '/usr/bin/env',
    ['-u', 'NODE_CHANNEL_FD', '-u', 'NODE_CHANNEL_SERIALIZATION_MODE', process.execPath, '-e', relay],
    { stdio: ['pipe', 'pipe', 'inherit', 'ipc'], serialization: 'advanced', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  t.teardown(() => child.kill());
  const ours = encodeAdvanced(big);
  const raw: Buffer[] = [];
  let size = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    raw.push(chunk);
    size += chunk.length;
    if (size >= ours.length) {
      child.stdin!.end();
      child.disconnect();
    }
  });
  child.send(big as any);
  await once(child, 'exit');
  t.ok(Buffer.concat(raw).equals(ours));
});

t.test('the native encoder writes the JS encoder\'s bytes, and refuses what it refuses', async (t) => {
  const values = [...samples(), 'x'.repeat(70000), Buffer.alloc(300, 7), new Float64Array(100).fill(Math.E)];
  for (const [i, value] of values.entries()) {
    t.ok(encodeAdvanced(value).equals(encodeAdvancedJs(value)), `value ${i}`);
  }
  const refused = [{ f() {} }, Promise.resolve(), [Symbol('s')], new SharedArrayBuffer(4), new WeakRef({})];
  for (const value of refused) {
    let expected: Error | undefined;
    try {
      encodeAdvancedJs(value);
    } catch (err) {
      expected = err as Error;
    }
    t.throws(() => encodeAdvanced(value), { name: expected!.name, message: expected!.message });
  }
  const getter = { get x() { throw new TypeError('from a getter'); } };
  t.throws(() => encodeAdvanced(getter), new TypeError('from a getter'), 'a getter\'s own error comes through');
});

t.test('decoded views own their memory: the read buffer is reused after the frame', async (t) => {
  const frame = encodeAdvanced({ b: Buffer.from('abc'), u: new Uint16Array([1, 2, 3]) });
  const chunk = Buffer.from(frame);
  const [message] = feed(new AdvancedDecoder(), chunk, [chunk.length]) as { b: Buffer; u: Uint16Array }[];
  chunk.fill(0);
  t.equal(message.b.toString(), 'abc');
  t.strictSame(Array.from(message.u), [1, 2, 3]);
  t.ok(Buffer.isBuffer(message.b), 'a Buffer comes back a Buffer');
});

t.test('decoded views own their memory when frames cut by the reads share the decoder\'s buffer', async (t) => {
  // Frames below 256 KiB cut by the reads are gathered in one buffer the decoder reuses: a
  // message decoded from it must not change when the next frame fills that buffer. One large
  // string frame (1 MiB and up) becomes a string over its own memory: it must not either.
  const Float16 = (globalThis as { Float16Array?: new (values: number[]) => ArrayLike<number> }).Float16Array;
  const make = (i: number) => ({
    b: Buffer.alloc(70000, i),
    u: new Uint32Array(1000).fill(i),
    ...(Float16 ? { f: new Float16([i, i + 0.5]) } : {}), // left to the JS decoder on lines that have it
  });
  const values = [make(1), make(2), 'L'.repeat(1024 * 1024 + 9), make(3)];
  const stream = Buffer.concat(values.map((v) => encodeAdvanced(v)));
  const messages = feed(new AdvancedDecoder(), stream, [7001, 65536, 3]) as ReturnType<typeof make>[];
  t.equal(messages.length, values.length);
  for (const i of [0, 1, 3]) {
    t.strictSame(messages[i], values[i], `message ${i} intact after the frames after it`);
  }
  t.equal(messages[2], values[2]);
});
