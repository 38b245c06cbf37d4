// ours: with 'ipc' in stdio, spawn() checks file, args and options as it does without it — same errors, in the same order (stdio after the rest), and nothing left open
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const { spawn } = require('child_process');

const ONE = ['ignore', 'ignore', 'ignore', 'ipc'];
const TWO = ['ignore', 'ignore', 'ignore', 'ipc', 'ipc'];
const node = process.execPath;
const argsOk = ['-e', '0'];

// [what, call, expected error]. With TWO the stdio is wrong as well, but Node looks at
// file, args, timeout, signal, killSignal and the other options before it looks at stdio.
const cases = [
  ['file not a string', () => spawn(42, { stdio: TWO }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "file" argument must be of type string. Received type number (42)',
  }],
  ['file empty', () => spawn('', { stdio: TWO }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE',
    message: "The argument 'file' cannot be empty. Received ''",
  }],
  ['args a string', () => spawn(node, 'x', { stdio: ONE }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "args" argument must be of type object. Received type string (\'x\')',
  }],
  ['args with a null byte', () => spawn(node, ['a\u0000b'], { stdio: ONE }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE',
    message: "The argument 'args[0]' must be a string without null bytes. Received 'a\\x00b'",
  }],
  ['options a string', () => spawn(node, argsOk, 'opts'), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "options" argument must be of type object. Received type string (\'opts\')',
  }],
  // Node 26 checks timeout as a generic integer >= 0, with the generic range text.
  ['timeout negative', () => spawn(node, argsOk, { timeout: -1, stdio: TWO }), {
    name: 'RangeError', code: 'ERR_OUT_OF_RANGE',
    message: Number.parseInt(process.versions.node, 10) >= 26 ?
      'The value of "timeout" is out of range. It must be >= 0 && <= 9007199254740991. Received -1' :
      'The value of "timeout" is out of range. It must be an unsigned integer. Received -1',
  }],
  ['unknown killSignal', () => spawn(node, argsOk, { killSignal: 'SIGNOPE', stdio: TWO }), {
    name: 'TypeError', code: 'ERR_UNKNOWN_SIGNAL', message: 'Unknown signal: SIGNOPE',
  }],
  ['signal not an AbortSignal', () => spawn(node, argsOk, { signal: 'x', stdio: TWO }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "options.signal" property must be an instance of AbortSignal. Received type string (\'x\')',
  }],
  ['detached not a boolean', () => spawn(node, argsOk, { detached: 'yes', stdio: TWO }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "options.detached" property must be of type boolean. Received type string (\'yes\')',
  }],
  ['cwd not a path', () => spawn(node, argsOk, { cwd: 42, stdio: TWO }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "options.cwd" property must be of type string or an instance of Buffer or URL. ' +
             'Received type number (42)',
  }],
  ['env value with a null byte', () => spawn(node, argsOk, { env: { A: 'x\u0000' }, stdio: ONE }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE',
    message: "The property 'options.env['A']' must be a string without null bytes. Received 'x\\x00'",
  }],
  // Within stdio, entries are checked in order: a bad entry before the second 'ipc' wins.
  ['bad stdio entry before a second ipc', () => spawn(node, argsOk, { stdio: ['pipe', {}, 'pipe', 'ipc', 'ipc'] }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE',
    message: "The argument 'stdio' is invalid. Received {}",
  }],
  // Serialization is checked after stdio.
  ['bad serialization', () => spawn(node, argsOk, { serialization: 'bogus', stdio: ONE }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE',
    message: "The property 'options.serialization' must be one of: undefined, 'json', 'advanced'. Received 'bogus'",
  }],
  ['bad serialization and a second ipc', () => spawn(node, argsOk, { serialization: 'bogus', stdio: TWO }), {
    name: 'Error', code: 'ERR_IPC_ONE_PIPE', message: 'Child process can have only one IPC pipe',
  }],
];

const countFds = () => (fs.existsSync('/proc/self/fd') ? fs.readdirSync('/proc/self/fd').length : 0);
// A first failed spawn may open a descriptor of Node's own, once; count from after it.
assert.throws(() => spawn(node, argsOk, { stdio: TWO }), { code: 'ERR_IPC_ONE_PIPE' });
const fdsBefore = countFds();

const wrong = [];
for (const [what, call, expected] of cases) {
  let thrown = null;
  let started = null;
  try {
    started = call();
  } catch (err) {
    thrown = err;
  }
  if (started) {
    // It should never have started; do not leave it running.
    started.on('error', () => {});
    if (started.connected) started.disconnect();
    started.kill('SIGKILL');
    wrong.push(`${what}: no error, a child was started`);
    continue;
  }
  try {
    common.matchError(thrown, expected);
  } catch (mismatch) {
    wrong.push(`${what}: got ${thrown && thrown.name} ${thrown && thrown.code} ` +
               `${JSON.stringify(thrown && thrown.message)}`);
  }
}
if (wrong.length) assert.fail(`wrong outcome for ${wrong.length} of ${cases.length}:\n  ${wrong.join('\n  ')}`);
assert.strictEqual(countFds(), fdsBefore);
