// beyond: an internal message (cmd NODE_*) sent without a callback to a child that is already dead fails silently; the application's own send still gets its EPIPE — Node emits 'error' for both, and a cluster primary dies of it when a worker vanishes mid-send
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  process.on('message', () => {});
  process.send('ready');
} else {
  const child = fork(__filename, ['child']);
  child.on('error', common.mustNotCall('an internal write raised error'));
  child.once('message', common.mustCall((message) => {
    assert.strictEqual(message, 'ready');
    child.kill('SIGKILL');
    // Wait, in this very tick, until the child is gone: its end of the channel is closed
    // but we have not read the EOF yet, so the channel still counts as connected.
    // (A zombie whose other threads are still exiting may still hold its descriptors:
    // gone means the leader is a zombie and no other thread is left.)
    const gone = () => {
      try {
        const zombie = /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8'));
        return zombie && fs.readdirSync(`/proc/${child.pid}/task`).length === 1;
      } catch {
        return true; // reaped already (not by us: we have not returned to the loop)
      }
    };
    while (!gone());
    assert.strictEqual(child.connected, true);
    child.send({ cmd: 'NODE_CLUSTER', act: 'newconn', seq: 1 });
    child.send('the application\'s own', common.mustCall((err) => {
      assert.ok(err && ['EPIPE', 'ECONNRESET'].includes(err.code), String(err));
    }));
  }));
  child.on('exit', common.mustCall((code, signal) => assert.strictEqual(signal, 'SIGKILL')));
}
