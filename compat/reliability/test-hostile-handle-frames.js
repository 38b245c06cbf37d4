// beyond: NODE_HANDLE frames whose descriptor is of the wrong kind (a file or /dev/null as a socket, UDP as TCP, a connection as a server, TCP as UDP, unknown dgramTypes and handle types) are refused one by one — descriptor closed, one ERR_IPC_BAD_HANDLE warning each — and the channel goes on, in json and advanced mode — Node's receiver throws ERR_INVALID_FD_TYPE / listen EINVAL uncaught and dies
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const { spawn } = require('child_process');

const lies = 12;
const openFds = () => fs.readdirSync('/proc/self/fd').length;

function run(mode, next) {
  const before = openFds();
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  // The peer writes raw frames on fd 3 itself: no preload, and `env -u` keeps Node's
  // builtin IPC in it from taking the channel.
  const peer = spawn('env', ['-u', 'NODE_CHANNEL_FD', process.execPath, common.fixtures.path('hostile-handle-peer.js'), mode], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    serialization: mode,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  // Only the last, plain message may be delivered: no lie comes through.
  peer.on('message', common.mustCall((message, handle) => {
    assert.deepStrictEqual(message, { done: lies }, `${mode}: only the plain message arrives`);
    assert.strictEqual(handle, undefined);
    setImmediate(() => {
      process.off('warning', onWarning);
      const refused = warnings.filter((w) => w.code === 'ERR_IPC_BAD_HANDLE');
      assert.strictEqual(refused.length, lies, `${mode}: ${warnings.map((w) => w.message).join('\n')}`);
      assert.strictEqual(peer.connected, true, 'the channel goes on');
      peer.kill('SIGTERM');
    });
  }));
  peer.on('exit', common.mustCall(() => {
    setImmediate(() => {
      assert.ok(openFds() <= before, `${mode}: ${openFds() - before} descriptors left open`);
      next();
    });
  }));
}

run('json', () => run('advanced', () => {}));
