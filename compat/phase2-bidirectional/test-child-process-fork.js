// node: test/parallel/test-child-process-fork.js — round trip with a forked child; send() argument validation; channel === _channel
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const args = ['foo', 'bar'];
const child = fork(common.fixtures.path('fork-hello-child.js'), args);

// _channel is the legacy alias of channel; both name the same object. (Node prints a
// DEP0129 deprecation warning for reading _channel; that is expected noise on stderr.)
// Node 26 removed the alias.
assert.ok(child.channel);
if (Number.parseInt(process.versions.node, 10) >= 26) assert.strictEqual('_channel' in child, false);
else assert.strictEqual(child.channel, child._channel);
// fork() must not mutate the args array it was given.
assert.deepStrictEqual(args, ['foo', 'bar']);

child.on('message', common.mustCall((message) => {
  assert.deepStrictEqual(message, { foo: 'bar' });
}));

// JSON.stringify(undefined) is not JSON, so a missing message is refused up front.
const missing = {
  name: 'TypeError',
  code: 'ERR_MISSING_ARGS',
  message: 'The "message" argument must be specified',
};
assert.throws(() => child.send(undefined), common.errorMatcher(missing));
assert.throws(() => child.send(), common.errorMatcher(missing));

assert.throws(() => child.send(Symbol()), common.errorMatcher({
  name: 'TypeError',
  code: 'ERR_INVALID_ARG_TYPE',
  message: 'The "message" argument must be one of type string, object, number, or boolean. ' +
           'Received type symbol (Symbol())',
}));

// The refused sends must not have disturbed the channel: this one still arrives.
child.send({ hello: 'world' });

child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));
