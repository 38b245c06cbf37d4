// node: test/es-module/test-esm-child-process-fork-main.mjs — an ESM child echoes; messages that arrive before it listens are queued, not lost
import { mustCall } from '../common/index.mjs';
import assert from 'assert';
import { fork } from 'child_process';
import { once } from 'events';
import { fileURLToPath } from 'url';

if (process.argv[2] === 'child') {
  // Tell the parent we are running but deliberately not listening yet; whatever comes in
  // meanwhile must be held and handed to the listener once it is added.
  process.send('running, not listening yet');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const seen = [];
  process.on('message', mustCall((message) => {
    seen.push(message);
    process.send(message);
  }, 4));
  process.on('disconnect', mustCall(() => {
    assert.deepStrictEqual(seen, ['Hello World', 1, { two: 2 }, ['three']]);
  }));
  // Lost messages would leave both sides waiting: give up so the child fails and exits
  // (the parent then ends with its top-level await unsettled, a non-zero exit too).
  setTimeout(() => process.disconnect(), 5000).unref();
} else {
  const child = fork(fileURLToPath(import.meta.url), ['child']);
  // Sent before the child has even loaded: an ESM main starts asynchronously.
  child.send('Hello World');

  const echoes = [];
  const allEchoed = new Promise((resolve) => {
    child.on('message', (message) => {
      if (message === 'running, not listening yet') {
        for (const m of [1, { two: 2 }, ['three']]) child.send(m);
        return;
      }
      echoes.push(message);
      if (echoes.length === 4) resolve();
    });
  });

  await allEchoed;
  assert.deepStrictEqual(echoes, ['Hello World', 1, { two: 2 }, ['three']]);
  child.disconnect();
  const [code, signal] = await once(child, 'exit');
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}
