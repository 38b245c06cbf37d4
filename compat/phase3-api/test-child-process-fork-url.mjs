// node: test/parallel/test-child-process-fork-url.mjs — fork() takes a file: URL; the child's disconnect() reaches the parent as 'disconnect'
import { mustCall } from '../common/index.mjs';
import assert from 'assert';
import { fork } from 'child_process';

if (process.argv[2] === 'child') {
  assert.strictEqual(typeof process.send, 'function');
  process.disconnect();
} else {
  const child = fork(new URL(import.meta.url), ['child']);

  child.on('disconnect', mustCall(() => {
    assert.strictEqual(child.connected, false);
  }));
  child.once('exit', mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
