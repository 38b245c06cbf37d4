// node: test/parallel/test-child-process-fork-args.js — fork() validates modulePath, args and options (ERR_INVALID_ARG_TYPE), treats undefined/null args as none, and passes options.env through
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const child = common.fixtures.path('report-env-and-exit.js');

function invalidType(name, expectedType, received) {
  return common.errorMatcher({
    name: 'TypeError',
    code: 'ERR_INVALID_ARG_TYPE',
    message: `The "${name}" argument must be ${expectedType}. Received ${received}`,
  });
}

function aFunction() {}

// modulePath: a string, Buffer or URL, nothing else.
const pathType = 'of type string or an instance of Buffer or URL';
for (const [value, received] of [
  [0, 'type number (0)'],
  [true, 'type boolean (true)'],
  [undefined, 'undefined'],
  [null, 'null'],
  [[], 'an instance of Array'],
  [{}, 'an instance of Object'],
  [aFunction, 'function aFunction'],
  [Symbol('t'), 'type symbol (Symbol(t))'],
]) {
  assert.throws(() => fork(value), invalidType('modulePath', pathType, received));
}

// args: an array, or undefined/null (none); a non-array object is taken as the options.
for (const [value, received] of [
  [0, 'type number (0)'],
  [true, 'type boolean (true)'],
  [aFunction, 'function aFunction'],
  [Symbol('t'), 'type symbol (Symbol(t))'],
]) {
  assert.throws(() => fork(child, value), invalidType('args', 'an instance of Array', received));
}

// options: an object when given.
for (const [value, received] of [
  [0, 'type number (0)'],
  [true, 'type boolean (true)'],
  [aFunction, 'function aFunction'],
  [Symbol('t'), 'type symbol (Symbol(t))'],
]) {
  assert.throws(() => fork(child, [], value), invalidType('options', 'of type object', received));
}

// Valid calls: every form starts the child with no extra arguments and the given env.
const extraEnv = { DEKA_COMPAT_FORK_ARGS: 'bar' };
const forms = {
  'path only': () => fork(child),
  'args undefined': () => fork(child, undefined, { env: { ...process.env, ...extraEnv } }),
  'args null': () => fork(child, null, { env: { ...process.env, ...extraEnv } }),
  'args []': () => fork(child, [], { env: { ...process.env, ...extraEnv } }),
  'options in place of args': () => fork(child, { env: { ...process.env, ...extraEnv } }),
};
for (const [form, start] of Object.entries(forms)) {
  const cp = start();
  cp.on('message', common.mustCall(({ argv, env }) => {
    assert.deepStrictEqual(argv, [], form);
    const expected = form === 'path only' ? undefined : 'bar';
    assert.strictEqual(env.DEKA_COMPAT_FORK_ARGS, expected, form);
  }));
  cp.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0, form);
    assert.strictEqual(signal, null, form);
  }));
}
