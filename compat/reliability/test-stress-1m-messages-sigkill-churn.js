// ours: over a million messages from four children at full speed while children are SIGKILLed and replaced — from every child, what arrives is exactly 0, 1, 2, … with nothing lost, duplicated or reordered
// timeout: 180
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const total = Number(process.env.STRESS_MESSAGES || 1_000_000);
const workers = 4;
const killEvery = Math.floor(total / 10); // messages received between two kills

if (process.argv[2] === 'child') {
  // Numbered messages as fast as the channel takes them: 256 at a time, the next 256 once
  // the last of these has been written.
  let next = 0;
  const message = (seq) => ({ seq, pad: 'x'.repeat(seq % 64) });
  const pump = () => {
    for (let i = 0; i < 255 && process.connected; i++) process.send(message(next++));
    if (process.connected) process.send(message(next++), (err) => err || setImmediate(pump));
  };
  process.on('message', (m) => {
    if (m === 'go') pump();
  });
  return;
}

let received = 0;
let kills = 0;
let nextKillAt = killEvery;
let id = 0;
let finished = false;
const live = new Set();

function start() {
  const child = fork(__filename, ['child']);
  const name = `child#${id++}`;
  let expected = 0;
  live.add(child);
  child.on('message', (m) => {
    assert.strictEqual(m.seq, expected, `${name}: got #${m.seq} where #${expected} was due`);
    assert.strictEqual(m.pad.length, m.seq % 64, `${name}: #${m.seq} arrived altered`);
    expected++;
    if (finished) return;
    if (++received >= total) return finish();
    if (received >= nextKillAt) {
      nextKillAt += killEvery;
      kills++;
      // Kill one at random (this one or another) mid-stream, and replace it.
      const victims = [...live];
      const victim = victims[received % victims.length];
      live.delete(victim);
      victim.kill('SIGKILL');
      start();
    }
  });
  child.on('exit', (code, signal) => {
    live.delete(child);
    if (!finished && signal !== 'SIGKILL') assert.fail(`${name} exited ${code}/${signal} before the end`);
  });
  child.send('go');
}

function finish() {
  finished = true;
  for (const child of live) child.kill('SIGKILL');
}

process.on('exit', () => {
  if (received >= total) {
    assert.strictEqual(kills, 9, `${kills} kills`);
  }
});
for (let i = 0; i < workers; i++) start();
const done = common.mustCall();
const check = setInterval(() => {
  if (finished && live.size === 0) {
    clearInterval(check);
    assert.ok(received >= total);
    done();
  }
}, 50);
