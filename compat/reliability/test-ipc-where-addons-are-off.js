// ours: a process that cannot load addons (--no-addons, or the permission model without --allow-addons) and its own child still talk over IPC, and the preload stays quiet about it
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const major = Number(process.versions.node.split('.')[0]);
// The permission model's flag lost its "experimental-" on Node 24; on Node 20 and 22 fork()
// also needs --allow-child-process.
const permission = major >= 24 ? '--permission' : '--experimental-permission';
const setups = {
  'no-addons': ['--no-addons'],
  permission: [permission, '--allow-fs-read=*', '--allow-child-process'],
};

const [, , role, setup] = process.argv;
if (role === 'middle') {
  // Forks the leaf with the same flags (fork() passes execArgv on), and relays.
  const leaf = fork(__filename, ['leaf', setup]);
  leaf.on('message', (m) => process.send({ from: 'middle', leaf: m }));
  process.on('message', (m) => leaf.send(m));
  leaf.on('exit', (code) => {
    process.send({ from: 'middle', leafExit: code });
    process.disconnect();
  });
} else if (role === 'leaf') {
  process.on('message', (m) => {
    process.send({ echo: m, leafExecArgv: process.execArgv });
    process.disconnect();
  });
} else {
  for (const [name, flags] of Object.entries(setups)) {
    const middle = fork(__filename, ['middle', name], { execArgv: flags, silent: true });
    let stderr = '';
    middle.stderr.setEncoding('utf8').on('data', (s) => (stderr += s));
    const got = [];
    middle.on('message', (m) => got.push(m));
    middle.send({ hello: name });
    middle.on('close', common.mustCall((code, signal) => {
      assert.strictEqual(code, 0, `${name}: middle exited ${code}/${signal}\n${stderr}`);
      assert.deepStrictEqual(got, [
        { from: 'middle', leaf: { echo: { hello: name }, leafExecArgv: flags } },
        { from: 'middle', leafExit: 0 },
      ]);
      // Node's own notes about the permission model are fine; nothing of ours may show.
      assert.doesNotMatch(stderr, /deka|addon|Error/i, `${name}: ${stderr}`);
    }));
  }
}
