// ours: send() of a value JSON cannot encode throws synchronously, in parent and child, and leaves the channel intact
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const circular = { name: 'loop' };
circular.self = circular;
const boom = new Error('toJSON failed');

// [what, value, expected error]. Types send() refuses outright get Node's argument error;
// objects that JSON.stringify chokes on throw the engine's own TypeError (or whatever
// toJSON threw), untouched.
const refused = [
  ['bigint', 1n, {
    name: 'TypeError',
    code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "message" argument must be one of type string, object, number, or boolean. ' +
             'Received type bigint (1n)',
  }],
  ['function', function named() {}, {
    name: 'TypeError',
    code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "message" argument must be one of type string, object, number, or boolean. ' +
             'Received function named',
  }],
  ['bigint inside an object', { n: 1n }, { name: 'TypeError', message: /BigInt/ }],
  ['circular object', circular, { name: 'TypeError', message: /circular/i }],
];

// Each refused value is followed by a good one; only the good ones may arrive, in order,
// with nothing half-written between them.
function sendAll(send) {
  refused.forEach(([what, value, error], i) => {
    assert.throws(() => send(value), common.errorMatcher(error), what);
    send({ good: i });
  });
  // An exception thrown by toJSON comes out of send() as is.
  assert.throws(() => send({ toJSON() { throw boom; } }), (err) => err === boom);
  send({ good: 'last' });
}

function receiveAll(target, done) {
  const got = [];
  target.on('message', common.mustCall((message) => {
    got.push(message);
    if (got.length === refused.length + 1) {
      assert.deepStrictEqual(got, [...refused.map((_, i) => ({ good: i })), { good: 'last' }]);
      done();
    }
  }, refused.length + 1));
}

if (process.argv[2] === 'child') {
  receiveAll(process, () => sendAll((m) => process.send(m)));
} else {
  const child = fork(__filename, ['child']);
  sendAll((m) => child.send(m));
  receiveAll(child, () => child.disconnect());
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
