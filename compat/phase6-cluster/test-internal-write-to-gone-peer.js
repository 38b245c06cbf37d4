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
    const stat = `/proc/${child.pid}/stat`;
    while (fs.existsSync(stat) && !/^\d+ \(.*\) Z/.test(fs.readFileSync(stat, 'utf8')));
    assert.strictEqual(child.connected, true);
    child.send({ cmd: 'NODE_CLUSTER', act: 'newconn', seq: 1 });
    child.send('the application\'s own', common.mustCall((err) => {
      assert.ok(err && ['EPIPE', 'ECONNRESET'].includes(err.code), String(err));
    }));
  }));
  child.on('exit', common.mustCall((code, signal) => assert.strictEqual(signal, 'SIGKILL')));
}
