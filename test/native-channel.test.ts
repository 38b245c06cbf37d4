// The native channel on a real socketpair: reads, coalesced writes, EOF, ref/unref, close.
import t from 'tap';
import { spawnSync } from 'child_process';
import path from 'path';
import { binding, type NativeChannel } from '../src/native';

const addonPath = path.join(__dirname, '..', 'build', 'Release', 'deka_ipc.node');

type Read = { chunk?: Buffer; fd: number; status: number };

function pair() {
  const [a, b] = binding.socketPair();
  const reads: Read[] = [];
  const writes: [number, number][] = [];
  let onRead: (() => void) | null = null;
  const left = new binding.Channel(a, () => {}, (n, s) => writes.push([n, s]));
  const right: NativeChannel = new binding.Channel(
    b,
    (chunk, fd, status) => {
      // The chunk is a view of the channel's reused read buffer: keep a copy.
      reads.push({ chunk: chunk && Buffer.from(chunk), fd, status });
      onRead?.();
    },
    () => {},
  );
  const received = () => Buffer.concat(reads.filter((r) => r.chunk).map((r) => r.chunk!));
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (pred()) {
          onRead = null;
          resolve();
        }
      };
      onRead = check;
      check();
    });
  return { left, right, reads, writes, received, until };
}

t.test('a small write goes out at once and is read back', async (t) => {
  const { left, right, received, until } = pair();
  right.readStart();
  t.equal(left.write('hello\n'), 0, 'written synchronously');
  t.equal(left.writeQueueSize, 0);
  await until(() => received().length === 6);
  t.equal(received().toString(), 'hello\n');
  left.close();
  right.close();
});

t.test('writes queue behind a full socket, leave coalesced, and complete in order', async (t) => {
  const { left, right, received, writes, until } = pair();
  const big = Buffer.alloc(4 * 1024 * 1024, 0x61);
  t.equal(left.write(big), 1, 'the big write is queued');
  t.equal(left.write('#0\n'), 1, 'a small write behind it starts a request of its own');
  for (let i = 1; i < 100; i++) t.equal(left.write(`#${i}\n`), 2, 'later small writes join that request');
  t.ok(left.writeQueueSize > 0);
  right.readStart();
  const expected = big.length + Array.from({ length: 100 }, (_, i) => `#${i}\n`).join('').length;
  await until(() => received().length === expected);
  await new Promise((r) => setImmediate(r));
  t.equal(left.writeQueueSize, 0);
  const completed = writes.reduce((sum, [n, status]) => (t.equal(status, 0), sum + n), 0);
  t.equal(completed, 2, 'both queued requests reported done');
  t.match(received().subarray(big.length).toString(), /^#0\n#1\n[^]*#99\n$/);
  left.close();
  right.close();
});

t.test('a frame with a descriptor behind a queue gets a request of its own, in order', async (t) => {
  const { left, right, reads, received, until } = pair();
  const [x, y] = binding.socketPair();
  const big = Buffer.alloc(2 * 1024 * 1024, 0x63);
  t.equal(left.write(big), 1);
  t.equal(left.write('a\n'), 1);
  t.equal(left.write('fd\n', x), 1, 'not appended: the descriptor rides with its own first byte');
  t.equal(left.write('b\n'), 2, 'appended to the descriptor frame\'s request');
  right.readStart();
  await until(() => received().length === big.length + 7);
  t.equal(received().subarray(big.length).toString(), 'a\nfd\nb\n');
  const withFd = reads.filter((r) => r.fd >= 0);
  t.equal(withFd.length, 1, 'one descriptor arrived');
  for (const r of withFd) binding.closeFd(r.fd);
  binding.closeFd(x);
  binding.closeFd(y);
  left.close();
  right.close();
});

t.test('writeQuoted writes JSON.stringify(text) + newline for a plain one-byte string, and leaves the rest to JS', async (t) => {
  const { left, right, received, until } = pair();
  right.readStart();
  const plain = ['ascii', '', 'latin-1 \u00e9\u00ff\u0080 del \u007f', 'z'.repeat(100000)];
  let expected = '';
  for (const text of plain) {
    t.ok([0, 1, 2].includes(left.writeQuoted(text)), `${JSON.stringify(text.slice(0, 20))} written natively`);
    expected += JSON.stringify(text) + '\n';
  }
  for (const text of ['quote "', 'backslash \\', 'control \u0001', 'newline \n', 'two-byte \u20ac', 'x'.repeat(9000) + '\t']) {
    t.equal(left.writeQuoted(text), 3, `${JSON.stringify(text.slice(-12))} left to JSON.stringify`);
  }
  await until(() => received().length >= Buffer.byteLength(expected));
  t.equal(received().toString(), expected);
  left.close();
  right.close();
});

t.test('writeAdvanced writes the advanced frame, throws for an uncloneable value before writing', async (t) => {
  const { encodeAdvancedJs } = await import('../src/serialization/advanced');
  const { left, right, received, until } = pair();
  right.readStart();
  const values = [{ a: [1, 'two', Buffer.from('three')] }, 'w'.repeat(70000), new Map([[1, 2]])];
  for (const value of values) t.ok([0, 1, 2].includes(left.writeAdvanced(value)));
  t.throws(() => left.writeAdvanced({ f() {} }), /could not be cloned/);
  const expected = Buffer.concat(values.map(encodeAdvancedJs));
  await until(() => received().length >= expected.length);
  t.ok(received().equals(expected), 'Node\'s bytes, and nothing from the refused value');
  left.close();
  right.close();
});

t.test('EOF when the peer closes', async (t) => {
  const { left, right, reads, until } = pair();
  right.readStart();
  left.write('bye');
  left.close();
  await until(() => reads.some((r) => r.chunk === undefined));
  const eof = reads.find((r) => r.chunk === undefined)!;
  t.equal(eof.status, -4095, 'UV_EOF');
  t.equal(Buffer.concat(reads.filter((r) => r.chunk).map((r) => r.chunk!)).toString(), 'bye');
  right.close();
});

t.test('write after close reports EBADF, a closed peer EPIPE', async (t) => {
  const { left, right } = pair();
  right.close();
  const result = left.write('x');
  t.ok(result < 0, 'write to a closed peer fails');
  left.close();
  t.ok(left.write('x') < 0, 'write on a closed channel fails');
  t.equal(left.fd, -1);
});

t.test('flushSync writes out a queue without the loop', async (t) => {
  const { left, right, received, until } = pair();
  const big = Buffer.alloc(1024 * 1024, 0x62);
  left.write(big);
  right.readStart();
  // Nothing reads while flushSync blocks, so it can only write what fits, then stall.
  const left1 = binding.flushSync([left], 10000, 50);
  t.ok(left1 >= 0 && left1 < big.length);
  await until(() => received().length === big.length);
  left.close();
  right.close();
});

t.test('an unref\'d reading channel does not keep a process alive; a ref\'d one does', async (t) => {
  const script = (unref: boolean) => `
    const binding = require(${JSON.stringify(addonPath)});
    const [a, b] = binding.socketPair();
    const ch = new binding.Channel(a, () => {}, () => {});
    ch.readStart();
    ${unref ? 'ch.unref();' : 'setTimeout(() => { ch.close(); console.log("closed"); }, 200);'}
  `;
  const run = (unref: boolean) =>
    spawnSync(process.execPath, ['-e', script(unref)], {
      timeout: 20000,
      encoding: 'utf8',
      cwd: __dirname,
    });
  const unrefd = run(true);
  t.equal(unrefd.status, 0, unrefd.stderr);
  const refd = run(false);
  t.equal(refd.status, 0, refd.stderr);
  t.equal(refd.stdout.trim(), 'closed', 'the ref\'d channel kept the process alive until closed');
});

t.test('a descriptor rides with its bytes (SCM_RIGHTS)', async (t) => {
  const { left, right, reads, until } = pair();
  const [x, y] = binding.socketPair();
  right.readStart();
  t.equal(left.write('with-fd', x), 0);
  await until(() => reads.length > 0);
  t.ok(reads[0].fd >= 0, 'a descriptor arrived');
  t.not(reads[0].fd, x);
  t.equal(reads[0].chunk!.toString(), 'with-fd');
  binding.closeFd(reads[0].fd);
  binding.closeFd(x);
  binding.closeFd(y);
  left.close();
  right.close();
});

t.test('a missing native build gives one clear error that says how to rebuild', async (t) => {
  // A copy of the compiled loader with no build/ beside it, as after a failed install.
  const fs = await import('fs');
  const os = await import('os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-no-build-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'dist'));
  // With the one module it imports (the error it builds is deka-errors.ts's).
  for (const file of ['native.js', 'deka-errors.js']) {
    fs.copyFileSync(path.join(__dirname, '..', 'dist', file), path.join(dir, 'dist', file));
  }
  // Its loader beside it (node-gyp-build), so that what fails is the search for a binary.
  fs.symlinkSync(path.join(__dirname, '..', 'node_modules'), path.join(dir, 'node_modules'));
  const r = spawnSync(process.execPath, ['-e', `
    const native = require(${JSON.stringify(path.join(dir, 'dist', 'native.js'))});
    if (native.nativeLoadError === null) throw new Error('expected a load error');
    try { native.binding.socketPair(); }
    catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }
  `], { encoding: 'utf8' });
  t.equal(r.status, 0, 'loading the module itself does not throw: ' + r.stderr);
  const err = JSON.parse(r.stdout);
  t.equal(err.code, 'ERR_DEKA_IPC_NATIVE_MISSING');
  t.match(err.message, /native addon could not be loaded/);
  t.match(err.message, /npm rebuild deka-ipc/);
  t.match(err.message, /No native build was found for platform=/, 'the loader searched and said what for');
});
