// node: test/parallel/test-child-process-fork-detached.js — a child forked with detached: true (and unref'd) lives on, in its own session, after its parent is killed
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const { fork } = require('child_process');

let grandchild = 0;
// The detached process is outside the runner's process group: stop it ourselves, whatever
// happens.
process.on('exit', () => {
  if (grandchild) {
    try { process.kill(grandchild, 'SIGKILL'); } catch { /* already gone */ }
  }
});

// [state, session id] from /proc, or null where /proc is not available.
function procStat(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT' && fs.existsSync('/proc/self/stat')) return ['gone', -1];
    return null;
  }
  // pid (comm) state ppid pgrp session ...
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return [fields[0], Number(fields[3])];
}

const middle = fork(common.fixtures.path('detached-fork-parent.js'), [], { silent: true });
let out = '';
middle.stdout.setEncoding('utf8');
middle.stdout.on('data', (chunk) => {
  out += chunk;
  if (!out.endsWith('\n') || grandchild) return;
  grandchild = Number(out.trim());
  assert.ok(Number.isInteger(grandchild) && grandchild > 0, `bad pid line ${JSON.stringify(out)}`);
  middle.kill();
});

middle.on('exit', common.mustCall((code, signal) => {
  assert.strictEqual(signal, 'SIGTERM');
  assert.ok(grandchild > 0, 'the middle process never printed the pid');
  // Leave time for a child that would die with its parent (or on losing its channel) to do so.
  setTimeout(common.mustCall(() => {
    // Still there: signal 0 throws ESRCH for a process that is gone.
    process.kill(grandchild, 0);
    const stat = procStat(grandchild);
    if (stat) {
      const [state, session] = stat;
      assert.notStrictEqual(state, 'Z', 'the detached child has exited');
      assert.notStrictEqual(state, 'gone', 'the detached child has exited');
      // detached: setsid() made it the leader of a session of its own.
      assert.strictEqual(session, grandchild);
    }
    process.kill(grandchild, 'SIGKILL');
    grandchild = 0;
  }), 500);
}));
