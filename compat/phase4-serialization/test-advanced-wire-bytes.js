// ours: advanced mode on the wire is exactly [uint32 BE length][V8 serializer header + value], ArrayBufferViews as host tag 0 + v8.DefaultSerializer's form, other host objects as tag 1 + a plain copy — checked byte for byte against a reference writer in both directions, whichever implementation owns the parent's channel
'use strict';
const common = require('../common');
const assert = require('assert');
const child_process = require('child_process');
const v8 = require('v8');
const { BlockList } = require('net');
const advancedValues = require('../fixtures/advanced-values');

// The reference: the format as documented, built here from v8's public serializer.
class Reference extends v8.DefaultSerializer {
  _writeHostObject(object) {
    if (ArrayBuffer.isView(object)) {
      this.writeUint32(0);
      return super._writeHostObject(object);
    }
    this.writeUint32(1);
    this.writeValue({ ...object });
  }
}
function referenceFrame(value) {
  const serializer = new Reference();
  serializer.writeHeader();
  serializer.writeValue(value);
  const body = serializer.releaseBuffer();
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

// The child does not take part in IPC: it relays raw bytes, channel -> stdout and
// stdin -> channel. env(1) removes whichever variable would make it claim the channel.
const relay = `
const net = require('net');
const channel = new net.Socket({ fd: 3, readable: true, writable: true });
channel.pipe(process.stdout);
process.stdin.pipe(channel);
`;
const child = child_process.spawn('/usr/bin/env', [
  '-u', 'NODE_CHANNEL_FD', '-u', 'NODE_CHANNEL_SERIALIZATION_MODE',
  '-u', 'DEKA_CHANNEL_FD', '-u', 'DEKA_CHANNEL_SERIALIZATION_MODE',
  'NODE_OPTIONS=',
  process.execPath, '-e', relay,
], { stdio: ['pipe', 'pipe', 'inherit', 'ipc'], serialization: 'advanced' });

// A host object that is not a view: Node's BlockList (tag 1, arrives as a plain object).
const values = [...advancedValues(), { hostObject: new BlockList() }];
const expected = values.map(referenceFrame);
const expectedBytes = Buffer.concat(expected);

// 1. The parent's writer, as the relay saw it.
const seen = [];
let seenBytes = 0;
child.stdout.on('data', function collect(chunk) {
  seen.push(chunk);
  seenBytes += chunk.length;
  if (seenBytes < expectedBytes.length) return;
  child.stdout.off('data', collect);
  const wire = Buffer.concat(seen);
  assert.strictEqual(wire.length, expectedBytes.length, 'as many bytes as the reference');
  let offset = 0;
  expected.forEach((frame, i) => {
    const got = wire.subarray(offset, offset + frame.length);
    assert.ok(got.equals(frame),
              `value ${i}: wire ${got.toString('hex')}\n  reference ${frame.toString('hex')}`);
    offset += frame.length;
  });
  readBack();
});
for (const value of values) child.send(value);

// 2. The parent's reader: the reference bytes, once in one write, then a byte at a time.
function readBack() {
  let received = [];
  let round = 0;
  child.on('message', common.mustCall((message) => {
    received.push(message);
    if (received.length < values.length) return;
    check(received, round === 0 ? 'one write' : 'byte by byte');
    received = [];
    if (++round === 1) dribble(0);
    else finish();
  }, 2 * values.length));
  child.stdin.write(expectedBytes);
}

function dribble(offset) {
  while (offset < expectedBytes.length) {
    child.stdin.write(expectedBytes.subarray(offset, offset + 1));
    // Let the bytes leave now and then, so the reads really are cut small.
    if (++offset % 256 === 0) return setTimeout(dribble, 1, offset);
  }
}

function check(received, how) {
  values.forEach((value, i) => {
    const want = i === values.length - 1 ? { hostObject: {} } : value;
    assert.deepStrictEqual(received[i], want, `${how}: value ${i}`);
    if (value !== null && typeof value === 'object') {
      assert.strictEqual(Object.getPrototypeOf(received[i]), Object.getPrototypeOf(want), `${how}: value ${i} prototype`);
    }
  });
}

function finish() {
  child.stdin.end();
  child.disconnect();
}

child.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(code, 0);
  assert.strictEqual(signal, null);
}));
