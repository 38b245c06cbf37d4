// What src-native/platform.h promises, checked through the addon on whichever platform file
// this build has (platform-linux.cc, or platform-posix.cc with DEKA_IPC_PORTABLE=1): no
// SIGPIPE on a write to a vanished peer even with a SIGPIPE listener installed (Node ignores
// the signal otherwise, which would hide one), and close-on-exec descriptors — the socket
// pair's ends and every descriptor received — seen from a real child process.
import t from 'tap';
import fs from 'fs';
import { spawnSync } from 'child_process';
import { binding } from '../src/native';

/** Whether a child started now inherits descriptor `fd` (it would if it were not CLOEXEC). */
function inherited(fd: number): boolean {
  return spawnSync('/bin/sh', ['-c', `test -e /proc/self/fd/${fd}`], { stdio: 'ignore' }).status === 0;
}

t.test('the rings exist exactly where the build has sealed memory', async (t) => {
  t.type(binding.sharedRings, 'boolean');
  if (process.platform !== 'linux') t.equal(binding.sharedRings, false, 'no rings off Linux');
});

t.test('a write to a vanished peer is EPIPE, and raises no SIGPIPE', async (t) => {
  let signals = 0;
  const onPipe = () => signals++;
  process.on('SIGPIPE', onPipe);
  const [a, b] = binding.socketPair();
  const writes: [number, number][] = [];
  const channel = new binding.Channel(a, () => {}, (n, s) => writes.push([n, s]));
  binding.closeFd(b);
  const result = channel.write(Buffer.from('into the void\n'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.ok(result === -32 || writes.some(([, s]) => s === -32), `EPIPE (write returned ${result}, reports ${JSON.stringify(writes)})`);
  t.equal(signals, 0, 'no SIGPIPE reached the process');
  process.off('SIGPIPE', onPipe);
  channel.close();
});

t.test('the socket pair and a received descriptor are close-on-exec', { skip: process.platform !== 'linux' && 'reads /proc/self/fd' }, async (t) => {
  const [a, b] = binding.socketPair();
  t.notOk(inherited(a), 'the parent end');
  t.notOk(inherited(b), 'the child end (it reaches a child only through an explicit stdio slot)');
  const file = fs.openSync(__filename, 'r');
  let received = -1;
  const reader = new binding.Channel(b, (chunk, fd) => {
    if (fd >= 0) received = fd;
  }, () => {});
  const writer = new binding.Channel(a, () => {}, () => {});
  reader.readStart();
  t.equal(writer.write(Buffer.from('x'), file), 0, 'sent with a descriptor');
  fs.closeSync(file);
  for (let i = 0; i < 100 && received < 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.ok(received >= 0, 'a descriptor came');
  t.notOk(inherited(received), 'the received descriptor');
  binding.closeFd(received);
  reader.close();
  writer.close();
});
