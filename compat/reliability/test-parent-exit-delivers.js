// beyond: messages a parent sends just before process.exit() all reach its child — Node 20's parent exits with the writes still queued and the child gets only what fit in the socket
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork, spawn } = require('child_process');

const count = 5;
const size = 1024 * 1024;

if (process.argv[2] === 'middle') {
  // Forks the receiver, sends, and leaves at once.
  const child = fork(__filename, ['child'], { stdio: 'inherit' });
  child.on('message', () => {
    for (let i = 0; i < count; i++) child.send({ i, body: String(i).repeat(size) });
    process.exit(0);
  });
} else if (process.argv[2] === 'child') {
  let next = 0;
  process.on('message', (message) => {
    if (message.i === next && message.body.length === size) next++;
  });
  process.on('disconnect', () => console.log(`received ${next} of ${count}`));
  process.send('ready');
} else {
  // The child outlives the middle process; its report comes through the shared stdout.
  const middle = spawn(process.execPath, [__filename, 'middle'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  middle.stdout.setEncoding('utf8');
  middle.stdout.on('data', (d) => { output += d; });
  middle.stdout.on('end', common.mustCall(() => {
    assert.strictEqual(output.trim(), `received ${count} of ${count}`);
  }));
}
