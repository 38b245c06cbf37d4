// ours: the same values sent in both modes — json applies JSON's rules deep inside messages (undefined and functions dropped, toJSON with its key, Date → ISO string, NaN → null, Map/Set/Error → {}) and throws on BigInt and cycles; advanced keeps undefined, Date, Map, Set, Error, NaN, -0, BigInt and cycles, and throws on the functions json drops
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

// Built afresh on each side, so both can compare with the originals.
function values() {
  const date = new Date(Date.UTC(2001, 8, 9, 1, 46, 40));
  const keys = [];
  const withKey = { toJSON(key) { keys.push(key); return `toJSON(${key})`; } };
  const circular = { name: 'c' };
  circular.self = circular;
  return [
    {
      what: 'nested undefined properties and array slots',
      value: { a: { u: undefined, kept: [undefined, 1] } },
      json: { a: { kept: [null, 1] } },
    },
    {
      what: 'nested functions',
      value: { a: { f() {}, kept: [() => {}, 1] } },
      json: { a: { kept: [null, 1] } },
      advancedThrows: /^f\(\) \{\} could not be cloned\.$/,
    },
    {
      what: 'Date, NaN, Infinity and -0 deep inside',
      value: { when: [date], n: { nan: NaN, inf: -Infinity, negZero: -0 } },
      json: { when: ['2001-09-09T01:46:40.000Z'], n: { nan: null, inf: null, negZero: 0 } },
    },
    {
      what: 'toJSON gets its key (property name, or index as a string)',
      value: { prop: withKey, list: [withKey] },
      json: { prop: 'toJSON(prop)', list: ['toJSON(0)'] },
      keys,
      advancedThrows: /could not be cloned\.$/,
    },
    {
      what: 'Map, Set, Error, RegExp lose what JSON cannot see',
      value: { map: new Map([['k', 1]]), set: new Set([1]), error: new TypeError('t'), re: /x/g },
      json: { map: {}, set: {}, error: {}, re: {} },
    },
    {
      what: 'typed arrays and Buffers as JSON knows them',
      value: { u16: new Uint16Array([1, 65535]), buf: Buffer.from([1, 2]), f32: new Float32Array([0.5]) },
      json: { u16: { 0: 1, 1: 65535 }, buf: { type: 'Buffer', data: [1, 2] }, f32: { 0: 0.5 } },
    },
    {
      what: 'BigInt inside an object',
      value: { n: 2n ** 70n, list: new BigInt64Array([-1n]) },
      jsonThrows: /BigInt/,
    },
    {
      what: 'a cycle',
      value: circular,
      jsonThrows: /circular/i,
    },
  ];
}

// json: what arrives is `json`, or send() throws `jsonThrows`. advanced: the value itself,
// or send() throws `advancedThrows`. Either way the channel stays usable.
function sends(mode, item) {
  return !(mode === 'json' ? item.jsonThrows : item.advancedThrows);
}

function sendAll(mode, send) {
  for (const item of values()) {
    if (!sends(mode, item)) {
      const message = mode === 'json' ? item.jsonThrows : item.advancedThrows;
      const name = mode === 'json' ? 'TypeError' : 'Error';
      assert.throws(() => send(item.value), { name, message }, `${mode}: ${item.what}`);
      continue;
    }
    send(item.value);
    if (mode === 'json' && item.keys) assert.deepStrictEqual(item.keys, ['prop', '0']);
  }
  send('end');
}

function checkAll(mode, received) {
  const list = values().filter((item) => sends(mode, item));
  assert.strictEqual(received.length, list.length);
  list.forEach((item, i) => {
    const want = mode === 'json' ? item.json : item.value;
    assert.deepStrictEqual(received[i], want, `${mode}: ${item.what}`);
  });
  if (mode === 'advanced') {
    const [undefs, numbers, natives] = received;
    assert.ok(Object.hasOwn(undefs.a, 'u'), 'advanced keeps undefined properties');
    assert.ok(Object.is(numbers.n.negZero, -0), 'advanced keeps -0');
    assert.ok(natives.map instanceof Map && natives.error instanceof TypeError);
    const cycle = received[received.length - 1];
    assert.strictEqual(cycle.self, cycle);
  }
}

function receiveAll(target, mode, done) {
  const received = [];
  target.on('message', common.mustCallAtLeast((message) => {
    if (message !== 'end') {
      received.push(message);
      return;
    }
    checkAll(mode, received);
    done();
  }));
}

if (process.argv[2] === 'child') {
  const mode = process.argv[3];
  receiveAll(process, mode, () => sendAll(mode, (m) => process.send(m)));
  setTimeout(() => process.disconnect(), 10000).unref();
} else {
  for (const mode of ['json', 'advanced']) {
    const child = fork(__filename, ['child', mode], { serialization: mode });
    sendAll(mode, (m) => child.send(m));
    receiveAll(child, mode, () => child.disconnect());
    child.on('exit', common.mustCall((code, signal) => {
      assert.strictEqual(code, 0, mode);
      assert.strictEqual(signal, null);
    }));
  }
}
