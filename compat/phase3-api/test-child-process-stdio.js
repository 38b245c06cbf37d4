// node: test/parallel/test-child-process-stdio.js — (the ERR_IPC_ONE_PIPE part) a second 'ipc' in stdio throws, from spawn() and fork(), and starts nothing
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, fork } = require('child_process');

const onePipe = common.errorMatcher({
  name: 'Error',
  code: 'ERR_IPC_ONE_PIPE',
  message: 'Child process can have only one IPC pipe',
});

// If a child ever ran, it would leave this file behind.
const marker = path.join(os.tmpdir(), `deka-compat-one-pipe-${process.pid}`);
const script = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`;
process.on('exit', () => fs.rmSync(marker, { force: true }));

// Open descriptors of this process, where the platform lets us count them.
const countFds = () => (fs.existsSync('/proc/self/fd') ? fs.readdirSync('/proc/self/fd').length : 0);
// The first attempt may set up process-wide things once (Node opens a descriptor of its own
// there); count from after it.
assert.throws(() => spawn(process.execPath, ['-e', script], { stdio: ['ipc', 'ipc'] }), onePipe);
const fdsBefore = countFds();

const layouts = [
  ['pipe', 'pipe', 'pipe', 'ipc', 'ipc'],
  ['ipc', 'ipc'],
  ['ipc', 'inherit', 'inherit', 'ignore', 'ignore', 'ipc'],
];
for (const stdio of layouts) {
  assert.throws(() => spawn(process.execPath, ['-e', script], { stdio }), onePipe);
}
assert.throws(() => fork(common.fixtures.path('empty.js'),
                         { stdio: ['pipe', 'pipe', 'pipe', 'ipc', 'ipc'] }), onePipe);
assert.throws(() => fork(common.fixtures.path('empty.js'), [],
                         { stdio: ['ipc', 'inherit', 'inherit', 'ipc'] }), onePipe);

// Nothing half-made is left open after the throws.
assert.strictEqual(countFds(), fdsBefore);

// Give a child that should not exist the time to show itself.
setTimeout(common.mustCall(() => {
  assert.strictEqual(fs.existsSync(marker), false);
}), 300);
