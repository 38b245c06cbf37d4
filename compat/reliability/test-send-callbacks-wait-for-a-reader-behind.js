// ours: a send() callback means the frame was handed over, not that the peer read it — but while the peer reads nothing, callbacks stop after about a socket's buffer (Node 20: ~50 of 2,000 frames of 2.5 KB), and all 2,000 come, in order, once it reads
// timeout: 60
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fork } = require('child_process');

const count = 2000;
// 5 MB in all: more than any buffer on the way holds (a socket with our 1 MiB SO_SNDBUF holds
// ~2 MB, a ring 1 MiB), however the writes are grouped.
const pad = 'x'.repeat(2500);

if (process.argv[2] === 'child') {
  const marker = process.argv[3];
  const completed = [];
  process.once('message', () => {
    for (let i = 0; i < count; i++) {
      process.send({ i, pad }, (error) => {
        assert.strictEqual(error, null);
        completed.push(i);
        if (completed.length === count) {
          const inOrder = completed.every((value, index) => value === index);
          process.send({ completed: completed.length, inOrder }, () => process.disconnect());
        }
      });
    }
    // The parent is still blocked: how many callbacks came without it reading? Then let it go.
    setTimeout(() => {
      process.send({ early: completed.length });
      fs.writeFileSync(marker, 'go');
    }, 100);
  });
  process.send('ready');
} else {
  const marker = path.join(os.tmpdir(), `deka-reader-behind-${process.pid}`);
  const child = fork(__filename, ['child', marker]);
  let next = 0;
  let early;
  child.on('message', (m) => {
    if (m === 'ready') {
      child.send('go');
      // Blocked, reading nothing, until the child has counted its callbacks (30 s at most).
      const deadline = Date.now() + 30000;
      while (!fs.existsSync(marker) && Date.now() < deadline);
      fs.rmSync(marker, { force: true });
      return;
    }
    if (typeof m.i === 'number') {
      assert.strictEqual(m.i, next++);
      return;
    }
    if (m.early !== undefined) {
      early = m.early;
      return;
    }
    assert.strictEqual(next, count);
    assert.ok(early < count / 2, `${early} of ${count} callbacks came while the parent read nothing`);
    assert.deepStrictEqual(m, { completed: count, inOrder: true });
    console.log(`${early} of ${count} callbacks before the parent read`);
  });
  child.on('exit', common.mustCall((code) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(next, count);
    assert.notStrictEqual(early, undefined);
  }));
}
