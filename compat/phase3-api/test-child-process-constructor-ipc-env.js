// node: test/parallel/test-child-process-constructor.js — (the envPairs-with-'ipc' part, re-expressed through spawn(): ChildProcess#spawn({ envPairs }) is internal) the child's environment is options.env, prototype keys included, plus the channel variables, which the child removes; the caller's objects are untouched
'use strict';
const common = require('../common');
const assert = require('assert');
const { spawn } = require('child_process');

if (process.argv[2] === 'child') {
  // Everything in our environment, and a Map, which only advanced serialization keeps.
  process.send({ env: { ...process.env }, map: new Map([['k', 'v']]) });
  process.on('disconnect', common.mustCall());
  return;
}

// Node passes NODE_V8_COVERAGE on whatever env is given (coverage runs); leave it out.
function withoutCoverage(env) {
  const copy = { ...env };
  delete copy.NODE_V8_COVERAGE;
  return copy;
}

function run(options, check) {
  const child = spawn(process.execPath, [__filename, 'child'], options);
  child.on('message', common.mustCall((message) => {
    check(message);
    child.disconnect();
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
  setTimeout(() => { if (child.connected) child.disconnect(); }, 5000).unref();
  return child;
}

const channelVars = ['NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE',
                     'DEKA_CHANNEL_FD', 'DEKA_CHANNEL_SERIALIZATION_MODE'];

// 1. json. The child's environment is exactly options.env: own keys, keys on its
//    prototype (Node walks env with for...in on purpose), undefined values left out.
//    NODE_OPTIONS is given (empty), so nothing may add one.
{
  const env = Object.create({ INHERITED: 'from the prototype' });
  env.OWN = 'own value';
  env.NODE_OPTIONS = '';
  env.LEFT_OUT = undefined;
  const stdio = ['ignore', 'ignore', 'inherit', 'ipc'];
  const options = { env, stdio };
  run(options, (message) => {
    assert.deepStrictEqual(withoutCoverage(message.env), {
      INHERITED: 'from the prototype',
      OWN: 'own value',
      NODE_OPTIONS: '',
    });
    // json turns the Map into an empty object.
    assert.deepStrictEqual(message.map, {});
  });
  // The channel variables went to the child, not into the caller's objects.
  assert.deepStrictEqual(Object.keys(options), ['env', 'stdio']);
  assert.deepStrictEqual(Object.keys(env), ['OWN', 'NODE_OPTIONS', 'LEFT_OUT']);
  assert.deepStrictEqual(stdio, ['ignore', 'ignore', 'inherit', 'ipc']);
}

// 2. advanced, default NODE_OPTIONS handling: the serialization mode reaches the child
//    along with the fd, and neither variable stays in the child's process.env.
{
  const env = { OWN: 'second child' };
  run({ env, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }, (message) => {
    assert.strictEqual(message.env.OWN, 'second child');
    for (const name of channelVars) {
      assert.strictEqual(message.env[name], undefined, `${name} left in the child's env`);
    }
    assert.ok(message.map instanceof Map);
    assert.deepStrictEqual([...message.map], [['k', 'v']]);
  });
  assert.deepStrictEqual(env, { OWN: 'second child' });
}
