// node: test/parallel/test-child-process-fork-no-shell.js — fork() ignores shell: true, so arguments reach the child unexpanded
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

// A shell would replace $foo with the variable's value (or nothing).
const literal = '$foo';

if (process.argv[2] === 'child') {
  process.send({ argv: process.argv.slice(2), foo: process.env.foo });
} else {
  const child = fork(__filename, ['child', literal], {
    shell: true,
    env: { ...process.env, foo: 'bar' },
  });
  child.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, { argv: ['child', literal], foo: 'bar' });
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
