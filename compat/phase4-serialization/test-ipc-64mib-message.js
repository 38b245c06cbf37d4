// ours: a single 64 MiB message each way, in json mode (a string) and in advanced mode (a Buffer), arrives whole and unaltered
// timeout: 120
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const MiB = 1024 * 1024;
const size = 64 * MiB;

// Numbered 1 KiB blocks (a lost, doubled or reordered read shows up as a wrong block);
// the tag makes the two directions' payloads differ.
const blockSize = 1024;
function block(tag, i) {
  const head = tag + String(i).padStart(7, '0');
  return head + '.'.repeat(blockSize - head.length);
}
function payload(mode, tag) {
  const blocks = new Array(size / blockSize);
  for (let i = 0; i < blocks.length; i++) blocks[i] = block(tag, i);
  const text = blocks.join('');
  return mode === 'advanced' ? Buffer.from(text, 'latin1') : text;
}

function check(mode, message, tag) {
  assert.strictEqual(message.from, tag);
  const data = message.data;
  if (mode === 'advanced') assert.ok(Buffer.isBuffer(data), 'a Buffer arrives as a Buffer');
  else assert.strictEqual(typeof data, 'string');
  assert.strictEqual(data.length, size);
  const want = payload(mode, tag);
  const same = mode === 'advanced' ? want.equals(data) : want === data;
  if (!same) {
    let i = 0;
    while (data[i] === want[i]) i++;
    assert.fail(`${mode} payload from ${tag} differs first at offset ${i}`);
  }
}

if (process.argv[2] === 'child') {
  const mode = process.argv[3];
  process.on('message', common.mustCall((message) => {
    check(mode, message, 'p');
    const start = process.hrtime.bigint();
    process.send({ from: 'c', data: payload(mode, 'c') }, (err) => {
      assert.ifError(err);
      process.send({ writtenMs: Number(process.hrtime.bigint() - start) / 1e6 });
    });
  }));
  setTimeout(() => process.disconnect(), 120000).unref();
  return;
}

function run(mode, done) {
  const child = fork(__filename, ['child', mode], { serialization: mode });
  const start = process.hrtime.bigint();
  child.send({ from: 'p', data: payload(mode, 'p') });
  const received = [];
  child.on('message', common.mustCall((message) => {
    received.push(message);
    if (received.length === 1) {
      check(mode, message, 'c');
      return;
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`${mode}: 64 MiB there and back in ${ms.toFixed(0)} ms`);
    child.disconnect();
  }, 2));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
    done();
  }));
}

// One mode after the other: four 64 MiB payloads at once would only measure swapping.
run('json', () => run('advanced', () => {}));
