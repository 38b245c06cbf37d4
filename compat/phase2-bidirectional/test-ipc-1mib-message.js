// ours: a 1 MiB message each way, both sent at the same time, arrives whole and unaltered
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const MiB = 1024 * 1024;

// 1 MiB of numbered 8-character blocks: a lost, repeated or reordered chunk shows up as
// a wrong block, and the tag makes each side's payload different from the other's.
function payload(tag) {
  const blocks = [];
  for (let i = 0; i < MiB / 8; i++) blocks.push(tag + String(i).padStart(7, '0'));
  return blocks.join('');
}

function check(message, tag) {
  assert.strictEqual(message.from, tag);
  assert.strictEqual(message.data.length, MiB);
  // Compare without letting assert print two 1 MiB strings on failure.
  const want = payload(tag);
  if (message.data !== want) {
    let i = 0;
    while (message.data[i] === want[i]) i++;
    assert.fail(`payload from ${tag} differs first at offset ${i}`);
  }
}

if (process.argv[2] === 'child') {
  // Sent right away, while the parent's 1 MiB is on its way here.
  process.send({ from: 'c', data: payload('c') });
  process.on('message', common.mustCall((message) => {
    check(message, 'p');
    process.send('verified');
  }));
  // A lost message would leave both sides waiting: give up so the counts report it.
  setTimeout(() => process.disconnect(), 10000).unref();
} else {
  const child = fork(__filename, ['child']);
  child.send({ from: 'p', data: payload('p') });

  const received = [];
  child.on('message', common.mustCall((message) => {
    received.push(message);
    if (received.length < 2) return;
    // The child sent its payload before 'verified', so that is the order they arrive in.
    check(received[0], 'c');
    assert.strictEqual(received[1], 'verified');
    child.disconnect();
  }, 2));

  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));
}
