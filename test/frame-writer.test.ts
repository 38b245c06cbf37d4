// The write path's two modes, on a real socketpair: on an idle socket a frame is in the
// kernel when write() returns (read back synchronously from the other end, without the
// event loop); behind a full socket frames wait, gathered, and leave in order with their
// callbacks.
import t from 'tap';
import fs from 'fs';
import { binding } from '../src/native';
import { Control } from '../src/channel/control';
import { FrameWriter, type Callback } from '../src/frame-writer';

function writerOnPair() {
  const [a, b] = binding.socketPair();
  let writer: FrameWriter | null = null;
  const native = new binding.Channel(a, () => {}, (count, status) => writer!.onWrite(count, status));
  const control = new Control(native);
  const errors: Error[] = [];
  writer = new FrameWriter(native, control, (e) => errors.push(e));
  return { native, writer, peerFd: b, errors };
}

/** Reads exactly `n` bytes from a blocking descriptor, synchronously. */
function readSync(fd: number, n: number): Buffer {
  const out = Buffer.alloc(n);
  let got = 0;
  while (got < n) got += fs.readSync(fd, out, got, n - got, null);
  return out;
}

t.test('idle socket: the frame is in the kernel when write() returns', async (t) => {
  const { native, writer, peerFd } = writerOnPair();
  const called: (Error | null)[] = [];
  t.equal(writer.write('"ready"\n', -1, { callback: (e) => called.push(e), swallowErrors: false }), 0);
  t.equal(writer.queuedBytes, 0, 'nothing queued');
  // No tick has run: the bytes can only be there if write() put them in the kernel.
  t.equal(readSync(peerFd, 8).toString(), '"ready"\n');
  t.same(called, [], 'the callback waits for the next tick, as Node\'s');
  await new Promise((r) => process.nextTick(r));
  t.same(called, [null]);
  for (let i = 0; i < 50; i++) writer.write(`${i}\n`, -1, { swallowErrors: false });
  t.equal(writer.queuedBytes, 0, 'a run of small frames on an idle socket never queues');
  const expected = Array.from({ length: 50 }, (_, i) => `${i}\n`).join('');
  t.equal(readSync(peerFd, expected.length).toString(), expected, 'each one already in the kernel');
  native.close();
  binding.closeFd(peerFd);
});

t.test('busy socket: frames wait, gathered, and complete in order', async (t) => {
  const { native, writer, peerFd } = writerOnPair();
  const order: string[] = [];
  const done = (name: string): Callback => (e) => order.push(`${name}:${e}`);
  const big = Buffer.alloc(4 * 1024 * 1024, 0x61);
  writer.write(big, -1, { callback: done('big'), swallowErrors: false });
  t.ok(writer.queuedBytes > 0, 'the big frame did not fit');
  for (let i = 0; i < 100; i++) writer.write(`#${i}\n`, -1, { callback: done(`#${i}`), swallowErrors: false });
  const queued = writer.queuedBytes;
  t.ok(queued > 0 && queued <= big.length + 600, `queued ${queued} bytes`);
  // Drain the peer from the thread pool (blocking reads of the peer's end) while the loop
  // writes. Exactly the bytes expected are asked for: a read still pending when the test
  // closes the descriptor (a stream reads ahead) would fail with EBADF, or read whatever
  // socket gets that descriptor number next.
  const expected = big.length + Array.from({ length: 100 }, (_, i) => `#${i}\n`).join('').length;
  const got = Buffer.alloc(expected);
  for (let total = 0; total < expected; ) {
    total += await new Promise<number>((resolve, reject) =>
      fs.read(peerFd, got, total, expected - total, null, (e, n) => (e ? reject(e) : resolve(n))),
    );
  }
  await new Promise((r) => setImmediate(r));
  t.match(got.subarray(big.length).toString(), /^#0\n#1\n[^]*#99\n$/, 'bytes in order');
  t.same(order, ['big:null', ...Array.from({ length: 100 }, (_, i) => `#${i}:null`)], 'callbacks in order, all null');
  t.equal(writer.queuedBytes, 0);
  native.close();
  binding.closeFd(peerFd);
});

t.test('a write to a closed peer fails through the callback, not a throw', async (t) => {
  const { native, writer, peerFd, errors } = writerOnPair();
  binding.closeFd(peerFd);
  const result: (Error | null)[] = [];
  t.ok(writer.write('x\n', -1, { callback: (e) => result.push(e), swallowErrors: false }) < 0);
  writer.write('y\n', -1, { swallowErrors: true });
  await new Promise((r) => setImmediate(r));
  t.equal(result.length, 1);
  t.match(result[0], { code: 'EPIPE', syscall: 'write' });
  t.same(errors, [], 'a swallowed failure raises nothing');
  native.close();
});
