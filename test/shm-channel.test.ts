// The native channel over shared memory (src-native/ring-transport.cc, stream*.cc), two real
// channels on a real socketpair in this process: the switch, order across the ring's end,
// descriptors, the way back to the socket, EOF, and a peer that writes what it should not
// into the mapping or the socket.
import t from 'tap';
import fs from 'fs';
import { binding, type NativeChannel } from '../src/native';

// The mapping's layout (src-native/shm-ring.cc), for the hostile cases: the creator writes
// ring 0, whose control block starts at byte 64 (its tail first) and whose bytes at 4096.
const kRing0Tail = 64;
const kRing0Data = 4096;
const kRingSize = 1024 * 1024;
const kProtocolError = -71; // UV_EPROTO

// A build without rings (DEKA_IPC_PORTABLE=1, macOS, the BSDs): every case below needs them
// and is skipped, visibly, with that reason; the first one checks that they are refused.
const ringTest: (name: string, fn: (t: any) => Promise<void>) => void = binding.sharedRings
  ? (name, fn) => void t.test(name, fn)
  : (name) => void t.skip(`${name} (this build has no shared-memory rings)`);

if (!binding.sharedRings) {
  t.test('a build without rings: shmCreate and shmAttach refuse with ENOSYS, the channel goes on', async (t) => {
    const [a, b] = binding.socketPair();
    const channel = new binding.Channel(a, () => {}, () => {});
    t.throws(() => channel.shmCreate(), { code: 'ENOSYS' });
    t.throws(() => channel.shmAttach(b), { code: 'ENOSYS' });
    t.equal(channel.write(Buffer.from('still here\n')), 0, 'the socket still takes bytes');
    const got = Buffer.alloc(64);
    t.equal(fs.readSync(b, got), 11);
    binding.closeFd(b);
    channel.close();
  });
}

type Read = { chunk?: Buffer; fd: number; status: number };

function endpoint(fd: number) {
  const reads: Read[] = [];
  const writes: [number, number][] = [];
  let onEvent: (() => void) | null = null;
  const channel: NativeChannel = new binding.Channel(
    fd,
    (chunk, received, status) => {
      // The chunk is a view of the thread's reused read buffer: keep a copy.
      reads.push({ chunk: chunk && Buffer.from(chunk), fd: received, status });
      onEvent?.();
    },
    (count, status) => {
      writes.push([count, status]);
      onEvent?.();
    },
  );
  const received = () => Buffer.concat(reads.filter((r) => r.chunk).map((r) => r.chunk!));
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (pred()) {
          onEvent = null;
          resolve();
        }
      };
      onEvent = check;
      check();
    });
  return { channel, reads, writes, received, until };
}

/** Two channels switched both ways as the TypeScript layer does it, frames left out. */
function shared() {
  const [a, b] = binding.socketPair();
  const left = endpoint(a); // creates the rings: the child's side
  const right = endpoint(b);
  const memfd = left.channel.shmCreate();
  right.channel.shmAttach(memfd);
  left.channel.shmWriteStart();
  right.channel.shmReadStart();
  right.channel.shmWriteStart();
  left.channel.shmReadStart();
  left.channel.readStart();
  right.channel.readStart();
  const tail = () => {
    const bytes = Buffer.alloc(8);
    fs.readSync(memfd, bytes, 0, 8, kRing0Tail);
    return Number(bytes.readBigUInt64LE());
  };
  return { left, right, memfd, tail };
}

ringTest('after the switch bytes cross in the ring, in order, past its end and more than it holds', async (t) => {
  const { left, right, tail } = shared();
  const big = Buffer.alloc(3 * kRingSize + 123);
  for (let i = 0; i < big.length; i++) big[i] = i % 251;
  t.equal(left.channel.write('first\n'), 0, 'a small write is in the ring when write() returns');
  t.equal(tail(), 6, 'published in the ring, not sent on the socket');
  t.equal(left.channel.write(big), 1, 'a write larger than the ring waits for room');
  for (let i = 0; i < 50; i++) left.channel.write(`#${i}\n`);
  const expected = Buffer.concat([Buffer.from('first\n'), big, Buffer.from(Array.from({ length: 50 }, (_, i) => `#${i}\n`).join(''))]);
  await right.until(() => right.received().length >= expected.length);
  t.ok(right.received().equals(expected), 'every byte, in order');
  await left.until(() => left.channel.writeQueueSize === 0 && left.writes.length > 0);
  t.ok(left.writes.every(([, status]) => status === 0), 'the queued writes completed');
  t.equal(tail(), expected.length, 'all of it went through the ring');
  left.channel.close();
  right.channel.close();
});

ringTest('a reader behind: past what Node\'s socket would hold the answer says so, and a held completion waits for it', async (t) => {
  const { left, right } = shared();
  const { kWritten, kWrittenBehind } = binding.constants;
  right.channel.readStop();
  // 14-byte frames: a paused reader's socket takes 278 of them from Node (stream.cc's pacing).
  const answers = Array.from({ length: 1000 }, () => left.channel.write('x'.repeat(13) + '\n'));
  const firstBehind = answers.indexOf(kWrittenBehind);
  t.ok(firstBehind > 200 && firstBehind < 400, `behind from write ${firstBehind} on`);
  t.ok(answers.slice(0, firstBehind).every((a) => a === kWritten), 'written before that');
  t.ok(answers.slice(firstBehind).every((a) => a === kWrittenBehind), 'and behind after it, while the reader reads nothing');
  t.equal(left.channel.writeQueueSize, 0, 'every byte is in the ring all the same');
  left.channel.holdCompletion();
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.same(left.writes, [], 'the held completion waits while the reader reads nothing');
  right.channel.readStart();
  await right.until(() => right.received().length === 14000);
  await left.until(() => left.writes.length > 0);
  t.same(left.writes, [[1, 0]], 'and comes once it has read');
  left.channel.close();
  right.channel.close();
});

ringTest('a descriptor reaches the reader before the frame it came with', async (t) => {
  const { left, right } = shared();
  const [x, y] = binding.socketPair();
  t.equal(left.channel.write('with a descriptor\n', x), 0);
  await right.until(() => right.received().length === 18);
  const withFd = right.reads.findIndex((r) => r.fd >= 0);
  const firstBytes = right.reads.findIndex((r) => r.chunk && r.chunk.length > 0);
  t.ok(withFd >= 0 && withFd <= firstBytes, 'the descriptor came first');
  t.match(binding.describeFd(right.reads[withFd].fd), { socket: true, stream: true });
  binding.closeFd(right.reads[withFd].fd);
  binding.closeFd(x);
  binding.closeFd(y);
  left.channel.close();
  right.channel.close();
});

ringTest('a close after writing: the reader gets every byte, then EOF', async (t) => {
  const { left, right } = shared();
  const payload = Buffer.alloc(200 * 1024, 0x62);
  left.channel.write(payload);
  left.channel.write('last\n');
  // What the kernel or the ring has not taken is dropped by close(): wait for it to leave.
  await left.until(() => left.channel.writeQueueSize === 0);
  left.channel.close();
  await right.until(() => right.reads.some((r) => r.chunk === undefined));
  t.equal(right.received().length, payload.length + 5, 'every byte before the EOF');
  t.equal(right.reads[right.reads.length - 1].status, -4095, 'then UV_EOF');
  right.channel.close();
});

ringTest('shmWriteStop: the ring to its end, then the socket, and the peer goes back too', async (t) => {
  const { left, right, tail } = shared();
  left.channel.write('in the ring\n');
  left.channel.shmWriteStop();
  // A program that took channel.fd writes its own bytes there.
  fs.writeSync(left.channel.fd, 'raw on the socket\n');
  left.channel.write('ours, after them\n');
  await right.until(() => right.received().toString().includes('after them'));
  t.equal(right.received().toString(), 'in the ring\nraw on the socket\nours, after them\n');
  t.equal(tail(), 12, 'only the first write went through the ring');
  // The peer answered with its own 'E': what it sends now is on the socket, in order.
  right.channel.write('back\n');
  await left.until(() => left.received().toString() === 'back\n');
  t.pass('the way back works too');
  left.channel.close();
  right.channel.close();
});

ringTest('a peer that writes an impossible index: EPROTO, nothing read past it', async (t) => {
  const { left, right, memfd } = shared();
  left.channel.write('good\n');
  await right.until(() => right.received().length === 5);
  const index = Buffer.alloc(8);
  index.writeBigUInt64LE(BigInt(5 + 2 * kRingSize));
  fs.writeSync(memfd, index, 0, 8, kRing0Tail);
  fs.writeSync(left.channel.fd, 'W'); // wake the reader, as a writer would
  await right.until(() => right.reads.some((r) => r.chunk === undefined));
  t.equal(right.reads[right.reads.length - 1].status, kProtocolError);
  t.equal(right.received().toString(), 'good\n');
  left.channel.close();
  right.channel.close();
});

ringTest('a peer that writes garbage bytes into the ring: they are only bytes, for the decoder', async (t) => {
  const { left, right, memfd } = shared();
  const garbage = Buffer.from('\x00\xff not a frame\n');
  fs.writeSync(memfd, garbage, 0, garbage.length, kRing0Data);
  const index = Buffer.alloc(8);
  index.writeBigUInt64LE(BigInt(garbage.length));
  fs.writeSync(memfd, index, 0, 8, kRing0Tail);
  fs.writeSync(left.channel.fd, 'W');
  await right.until(() => right.received().length === garbage.length);
  t.ok(right.received().equals(garbage), 'copied out as they are');
  left.channel.close();
  right.channel.close();
});

ringTest('a byte on the socket that is no signal: EPROTO once the ring is read', async (t) => {
  const { left, right } = shared();
  left.channel.write('before\n');
  fs.writeSync(left.channel.fd, 'Z');
  await right.until(() => right.reads.some((r) => r.chunk === undefined));
  t.equal(right.received().toString(), 'before\n', 'what the ring held came first');
  t.equal(right.reads[right.reads.length - 1].status, kProtocolError);
  left.channel.close();
  right.channel.close();
});

ringTest('a reader that closed: the next write fails with EPIPE, as on a socket', async (t) => {
  const { left, right } = shared();
  right.channel.close();
  const result = left.channel.write('to nobody\n');
  t.equal(result, -32, 'EPIPE');
  left.channel.close();
});

ringTest('shmAttach refuses what is not a sealed memfd of the right size', async (t) => {
  const [a, b] = binding.socketPair();
  const channel = new binding.Channel(a, () => {}, () => {});
  const file = `/tmp/deka-ipc-not-rings-${process.pid}`;
  fs.writeFileSync(file, Buffer.alloc(4096 + 2 * kRingSize));
  const fd = fs.openSync(file, 'r+');
  t.throws(() => channel.shmAttach(fd), { code: 'EPROTO' }, 'a plain file of the right size');
  t.throws(() => channel.shmAttach(b), { code: 'EPROTO' }, 'a socket');
  fs.closeSync(fd);
  fs.unlinkSync(file);
  binding.closeFd(b);
  channel.close();
});
