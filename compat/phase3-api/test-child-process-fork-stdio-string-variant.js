// node: test/parallel/test-child-process-fork-stdio-string-variant.js — fork() takes stdio 'pipe' / 'inherit' / 'ignore' (plus the channel); any other string throws ERR_INVALID_ARG_VALUE
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  const variant = process.argv[3];
  assert.strictEqual(process.channel.fd, 3);
  process.on('message', function onMessage(message) {
    assert.deepStrictEqual(message, { hello: variant });
    // Nothing left to listen for: the channel no longer keeps us alive.
    process.removeListener('message', onMessage);
    process.stdout.write(`out:${variant}`);
  });
  process.send({ ready: variant });
} else {
  assert.throws(() => fork(__filename, ['child'], { stdio: '33' }), common.errorMatcher({
    name: 'TypeError',
    code: 'ERR_INVALID_ARG_VALUE',
    message: "The argument 'stdio' is invalid. Received '33'",
  }));

  const run = (variant, checkStreams) => {
    const child = fork(__filename, ['child', variant], { stdio: variant });
    assert.strictEqual(child.stdio.length, 4, variant);
    assert.strictEqual(child.stdio[3], null, variant);
    checkStreams(child);

    let stdout = '';
    if (child.stdout) {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => { stdout += chunk; });
    }
    child.on('message', common.mustCall((message) => {
      assert.deepStrictEqual(message, { ready: variant });
      child.send({ hello: variant });
    }));
    child.on('exit', common.mustCall((code, signal) => {
      assert.strictEqual(code, 0, variant);
      assert.strictEqual(signal, null, variant);
    }));
    // The child exits by itself: here 'close' follows exit, stdio and the channel's end.
    child.on('close', common.mustCall((code) => {
      assert.strictEqual(code, 0, variant);
      if (variant === 'pipe') assert.strictEqual(stdout, 'out:pipe');
    }));
  };

  run('pipe', (child) => {
    assert.ok(child.stdin && child.stdout && child.stderr);
    assert.deepStrictEqual(child.stdio.slice(0, 3), [child.stdin, child.stdout, child.stderr]);
  });
  run('inherit', (child) => {
    assert.deepStrictEqual([child.stdin, child.stdout, child.stderr], [null, null, null]);
  });
  run('ignore', (child) => {
    assert.deepStrictEqual([child.stdin, child.stdout, child.stderr], [null, null, null]);
  });
}
