// beyond: a child sends 2,000 messages with callbacks to a parent that reads nothing yet, then disconnects at once: every callback comes, with null and in order, and the parent still gets all 2,000 — Node calls the callbacks but loses the messages its socket had not taken (~1,700)
// timeout: 60
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fork } = require('child_process');

const count = 2000;

if (process.argv[2] === 'child') {
  const marker = process.argv[3];
  const completed = [];
  process.once('message', () => {
    for (let i = 0; i < count; i++) {
      process.send({ i }, (error) => completed.push(error === null ? i : error));
    }
    process.disconnect();
  });
  process.on('disconnect', () => fs.writeFileSync(marker, 'go'));
  process.on('exit', () => {
    const inOrder = completed.length === count && completed.every((value, index) => value === index);
    if (!inOrder) {
      console.error(`callbacks: ${completed.length} of ${count}, first wrong: ${completed.find((v, i) => v !== i)}`);
      process.exitCode = 3;
    }
  });
  process.send('ready');
} else {
  const marker = path.join(os.tmpdir(), `deka-held-callbacks-${process.pid}`);
  const child = fork(__filename, ['child', marker]);
  let next = 0;
  child.on('message', (m) => {
    if (m === 'ready') {
      child.send('go');
      // Blocked, reading nothing, until the child has disconnected (30 s at most).
      const deadline = Date.now() + 30000;
      while (!fs.existsSync(marker) && Date.now() < deadline);
      fs.rmSync(marker, { force: true });
      return;
    }
    assert.strictEqual(m.i, next++);
  });
  child.on('exit', common.mustCall((code) => {
    assert.strictEqual(code, 0);
    child.on('disconnect', common.mustNotCall);
  }));
  child.on('disconnect', common.mustCall(() => assert.strictEqual(next, count)));
}
