// node: test/parallel/test-child-process-advanced-serialization.js — serialization option validation; typed arrays, Buffer, Map, BigInt, a cycle and Errors round-trip in advanced mode, with IPC on fd 0
'use strict';
const common = require('../common');
const assert = require('assert');
const child_process = require('child_process');

if (process.argv[2] === 'child') {
  // Echo everything back as it came.
  process.on('message', (message) => process.send(message));
  return;
}

// Anything but undefined, 'json' and 'advanced' is refused, with or without an IPC slot.
for (const value of [null, 42, Infinity, 'foo', '', 'ADVANCED']) {
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  for (const stdio of [undefined, ['pipe', 'pipe', 'pipe', 'ipc']]) {
    assert.throws(() => child_process.spawn(process.execPath, [], { serialization: value, stdio }), {
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message: "The property 'options.serialization' must be one of: undefined, 'json', 'advanced'. " +
               `Received ${shown}`,
    });
  }
  assert.throws(() => child_process.fork(__filename, ['child'], { serialization: value }),
                { code: 'ERR_INVALID_ARG_VALUE' });
}

// The channel on fd 0 this time, not the usual fd 3.
const child = child_process.spawn(process.execPath, [__filename, 'child'], {
  stdio: ['ipc', 'inherit', 'inherit'],
  serialization: 'advanced',
});

const circular = { name: 'circular' };
circular.self = circular;
const values = [
  { uint8: new Uint8Array(4) },
  { float64: new Float64Array([Math.PI]) },
  { buffer: Buffer.from('Hello!') },
  // A Map built from object entries: [{a:1}] gives the key undefined, as in Node's test.
  { map: new Map([{ a: 1 }, { b: 2 }]) },
  { bigInt: 1337n },
  circular,
  new Error('Something went wrong'),
  new RangeError('Something range-y went wrong'),
];

let next = 0;
child.on('message', common.mustCall((received) => {
  const sent = values[next];
  assert.deepStrictEqual(received, sent);
  assert.strictEqual(Object.getPrototypeOf(received), Object.getPrototypeOf(sent));
  if (sent === circular) assert.strictEqual(received.self, received);
  if (sent.buffer) assert.ok(Buffer.isBuffer(received.buffer), 'a Buffer comes back a Buffer');
  if (sent instanceof Error) assert.strictEqual(received.stack, sent.stack);
  if (++next < values.length) child.send(values[next]);
  else child.disconnect();
}, values.length));
// One at a time: each value goes out once the previous one came back.
child.send(values[0]);

child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));
