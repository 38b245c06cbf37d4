// ours: spawnSync / execFileSync / execSync with 'ipc' anywhere in stdio throw ERR_IPC_SYNC_FORK (not an error in the result) and start nothing
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync, execFileSync, execSync } = require('child_process');

const syncFork = common.errorMatcher({
  name: 'Error',
  code: 'ERR_IPC_SYNC_FORK',
  message: 'IPC cannot be used with synchronous forks',
});

// A child that ran would leave this file behind.
const marker = path.join(os.tmpdir(), `deka-compat-sync-ipc-${process.pid}`);
const script = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`;
process.on('exit', () => fs.rmSync(marker, { force: true }));

const layouts = [
  ['ipc', 'pipe', 'pipe'],
  ['pipe', 'ipc', 'pipe'],
  ['pipe', 'pipe', 'pipe', 'ipc'],
  ['inherit', 'inherit', 'inherit', 'ignore', 'ipc'],
  ['ipc'],
];
for (const stdio of layouts) {
  const label = JSON.stringify(stdio);
  assert.throws(() => spawnSync(process.execPath, ['-e', script], { stdio: stdio.slice() }), syncFork, label);
  assert.throws(() => execFileSync(process.execPath, ['-e', script], { stdio: stdio.slice() }), syncFork, label);
  assert.throws(() => execSync(`"${process.execPath}" -e "0"`, { stdio: stdio.slice() }), syncFork, label);
}

// A synchronous child would have finished by now: none ran.
assert.strictEqual(fs.existsSync(marker), false);

// The same call without 'ipc' does run and write it, so the check above means something.
const ok = spawnSync(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
assert.strictEqual(ok.status, 0);
assert.strictEqual(fs.readFileSync(marker, 'utf8'), 'ran');
