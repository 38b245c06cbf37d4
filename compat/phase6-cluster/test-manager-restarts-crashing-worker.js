// ours: a small process manager forks a worker that crashes after N messages, re-forks it and carries on, 200 restarts — every message sent before each crash is delivered, a send to the dead worker once its 'exit' is seen fails through its callback (ERR_IPC_CHANNEL_CLOSED; EPIPE where the end is not read yet), never thrown, never reported as written; descriptors and heap stay flat across restarts
// timeout: 300
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const v8 = require('v8');
const vm = require('vm');
const { fork } = require('child_process');

const restarts = Number(process.env.DEKA_TEST_RESTARTS || 50); // 200 for the figure (minutes on a loaded machine)
const perLife = 5; // messages a worker takes before it crashes
const expected = ['EPIPE', 'ECONNRESET', 'ERR_IPC_CHANNEL_CLOSED'];

if (process.argv[2] === 'worker') {
  let taken = 0;
  process.on('message', (m) => {
    process.send({ ack: m.n });
    // The crash: gone at once, as a segfault or an OOM kill would leave it.
    if (++taken === perLife) process.kill(process.pid, 'SIGKILL');
  });
} else {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const fds = () => fs.readdirSync('/proc/self/fd').length;
    const failures = {};
  let baseline = null;

  // One worker's life: perLife messages delivered and acknowledged, the crash, sends that fail.
  const life = () => new Promise((resolve) => {
    const worker = fork(__filename, ['worker']);
    const acks = [];
    let written = 0;
    for (let n = 0; n < perLife; n++) {
      worker.send({ n }, (err) => {
        assert.ifError(err);
        written++;
      });
    }
    worker.on('message', (m) => acks.push(m.ack));
    worker.on('exit', (code, signal) => {
      assert.strictEqual(signal, 'SIGKILL');
      // The manager learns of the crash; a send to the dead worker now fails through its
      // callback, it is not thrown and not reported as written.
      let result;
      assert.doesNotThrow(() => {
        result = worker.send({ late: true }, common.mustCall((err) => {
          assert.ok(err && expected.includes(err.code), `a send to the dead worker: ${err && err.code}`);
          failures[err.code] = (failures[err.code] || 0) + 1;
          assert.deepStrictEqual(acks, [...Array(perLife).keys()]);
          assert.strictEqual(written, perLife);
          resolve();
        }));
      });
      assert.strictEqual(typeof result, 'boolean');
    });
  });

  (async () => {
    for (let i = 1; i <= restarts; i++) {
      await life();
      if (i === 20) {
        gc();
        baseline = { fds: fds(), heap: process.memoryUsage().heapUsed };
      }
    }
    await new Promise((r) => setTimeout(r, 50));
    gc();
    const end = { fds: fds(), heap: process.memoryUsage().heapUsed };
    console.log(`${restarts} restarts; late sends failed with ${JSON.stringify(failures)}; ` +
      `fds ${baseline.fds} → ${end.fds}; heap ${(baseline.heap / 1048576).toFixed(1)} → ${(end.heap / 1048576).toFixed(1)} MiB`);
    assert.strictEqual(end.fds, baseline.fds, 'descriptors stay flat');
    assert.ok(end.heap - baseline.heap < 4 * 1048576, 'heap stays flat');
  })().then(common.mustCall());
}
