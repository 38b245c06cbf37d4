// ours: a raw UDP wrap ('dgram.Native') sent to a child is a UDP wrap there, open on the same bound socket
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');
const dgram = require('dgram');

// dgram keeps its wrap in a symbol-keyed state object; find it by shape.
function wrapOf(socket) {
  for (const symbol of Object.getOwnPropertySymbols(socket)) {
    const state = socket[symbol];
    if (state && typeof state === 'object' && state.handle && state.handle.constructor.name === 'UDP') return state.handle;
  }
  throw new Error('no UDP wrap found');
}

if (process.argv[2] === 'child') {
  process.on('message', common.mustCall((message, handle) => {
    assert.strictEqual(handle.constructor.name, 'UDP');
    // The wrap is bound where the parent bound it.
    const out = {};
    assert.strictEqual(handle.getsockname(out), 0);
    process.send({ port: out.port, address: out.address });
  }));
} else {
  const socket = dgram.createSocket('udp4');
  const child = fork(__filename, ['child']);
  socket.bind(0, '127.0.0.1', common.mustCall(() => child.send('udp', wrapOf(socket))));
  child.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, { port: socket.address().port, address: '127.0.0.1' });
    socket.close();
    child.disconnect();
  }));
  child.on('exit', common.mustCall((code) => assert.strictEqual(code, 0)));
}
