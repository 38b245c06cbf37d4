// node: test/parallel/test-child-process-prototype-tampering.mjs — (the execPath part) an Object.prototype.execPath does not steer fork(): the child still runs process.execPath
import * as common from '../common/index.mjs';
import assert from 'node:assert';
import cp, { fork } from 'node:child_process';

const echo = common.fixtures.path('echo.js');

// Each child echoes one message and is then let go; it must have been started with our
// own binary, not the planted path (which would end in ENOENT as an 'error' event).
function roundTrip(child, label) {
  assert.strictEqual(child.spawnfile, process.execPath, label);
  assert.strictEqual(child.spawnargs[0], process.execPath, label);
  child.on('error', common.mustNotCall(`${label}: 'error' emitted`));
  child.on('message', common.mustCall((message) => {
    assert.deepStrictEqual(message, { label });
    child.disconnect();
  }));
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0, label);
    assert.strictEqual(signal, null, label);
  }));
  child.send({ label });
}

Object.prototype.execPath = '/not/existing/malicious/path';
try {
  // Through the module's default export, with no options, with an options object that
  // has no execPath of its own, and through the named ESM export.
  roundTrip(cp.fork(echo), 'no options');
  roundTrip(cp.fork(echo, [], {}), 'empty options');
  roundTrip(cp.fork(echo, { stdio: 'pipe' }), 'options without execPath');
  roundTrip(fork(echo, []), 'named export');
} finally {
  delete Object.prototype.execPath;
}
