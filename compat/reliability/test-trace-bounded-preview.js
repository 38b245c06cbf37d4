// ours: with DEKA_IPC_TRACE, a message of 8 MiB of binary data is traced as a bounded preview (type, byte length, first bytes), not as JSON of every byte; the builtin writes no trace at all
'use strict';
const common = require('../common');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fork } = require('child_process');
const channelKind = require('../fixtures/channel-kind');

const size = 8 * 1024 * 1024;

if (process.argv[2] === 'child') {
  process.on('message', (m) => {
    assert.ok(m instanceof Uint8Array && m.length === size);
    process.send({ kind: channelKind(), bytes: m.length, last: m[size - 1] });
    process.disconnect();
  });
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-trace-'));
  const traceFile = path.join(dir, 'trace.jsonl');
  const child = fork(__filename, ['child'], {
    serialization: 'advanced',
    env: { ...process.env, DEKA_IPC_TRACE: traceFile },
  });
  const payload = new Uint8Array(size).fill(7);
  payload[0] = 0xab;
  child.send(payload);
  child.on('message', common.mustCall((m) => {
    assert.strictEqual(m.bytes, size);
    assert.strictEqual(m.last, 7);
    if (m.kind === 'deka-ipc') {
      const lines = fs.readFileSync(traceFile, 'utf8').trim().split('\n');
      const received = lines.map((l) => JSON.parse(l)).find((e) => e.direction === 'in' && e.pid === child.pid);
      assert.ok(received, 'the child traced the message it received');
      assert.match(received.preview, /"<binary>":"Uint8Array","byteLength":8388608,"head":"ab070707/);
      for (const line of lines) assert.ok(line.length < 4096, `a trace line of ${line.length} bytes`);
    } else {
      assert.strictEqual(fs.existsSync(traceFile), false, 'only deka-ipc writes a trace');
    }
  }));
  child.on('exit', common.mustCall((code) => {
    assert.strictEqual(code, 0);
    fs.rmSync(dir, { recursive: true, force: true });
  }));
}
