// node: test/parallel/test-cli-eval.js — (the fork part) fork() from a `node -e` program does not hand the -e script to the child; a process.execArgv the program replaced is passed as it is
'use strict';
const common = require('../common');
const assert = require('assert');
const { execFile } = require('child_process');

const empty = common.fixtures.path('empty.js');

// The -e program prints once and forks empty.js. If the child were given `-e <program>`
// too, it would run the program again (printing a second line). The guard variable keeps
// such a child from forking on, so a failure cannot snowball.
const program = `
  console.log('program ran');
  if (!process.env.DEKA_COMPAT_EVAL_GUARD) {
    process.env.DEKA_COMPAT_EVAL_GUARD = '1';
    const child = require('child_process').fork(${JSON.stringify(empty)});
    child.on('exit', (code, signal) => console.log('child exit', code, signal));
  }
`;
execFile(process.execPath, ['-e', program], common.mustCall((err, stdout, stderr) => {
  assert.ifError(err);
  assert.strictEqual(stdout, 'program ran\nchild exit 0 null\n');
  assert.strictEqual(stderr, '');
}));

// When the program sets process.execArgv itself, fork() uses exactly that: here it holds a
// different -e, which the child runs (printing 42) before empty.js.
const replaced = `
  process.execArgv = ['-e', 'console.log(42)', 'thirdArg'];
  require('child_process').fork(${JSON.stringify(empty)});
`;
execFile(process.execPath, ['-e', replaced], common.mustCall((err, stdout, stderr) => {
  assert.ifError(err);
  assert.strictEqual(stdout, '42\n');
  assert.strictEqual(stderr, '');
}));
