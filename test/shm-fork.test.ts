// Real parent and child processes under the preload: when the channel moves to the
// shared-memory rings, and when it stays on the socket. The child looks at its own
// descriptors for the rings and at how many bytes its ring has published, and reports both.
import t from 'tap';
import path from 'path';
import { spawnSync } from 'child_process';
import { binding } from '../src/native';

// A build without rings (DEKA_IPC_PORTABLE=1, macOS, the BSDs) keeps every channel on the
// socket: the same children, and their messages still arrive (the report is one).
const rings = binding.sharedRings;

const register = path.join(__dirname, '..', 'register.js');
const fixture = path.join(__dirname, 'fixtures', 'shm-report.js');

type Report = { rings: boolean; published: number; sent: number };

function run(options: object, env: Record<string, string> = {}): Report {
  const r = spawnSync(process.execPath, ['--require', register, fixture, 'parent', JSON.stringify(options)], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    timeout: 60000,
  });
  if (r.status !== 0) throw new Error(`parent failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

t.test(`a deka-ipc child ${rings ? 'moves to the rings' : 'stays on the socket (no rings in this build)'}, also with its stdout piped`, async (t) => {
  const got = run({ stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  if (!rings) {
    t.notOk(got.rings, 'no rings in the child');
    t.equal(got.published, 0);
    return;
  }
  t.ok(got.rings, 'the child holds the rings');
  t.ok(got.published >= got.sent, `its messages went through the ring (${got.published} bytes published, ${got.sent} sent)`);
});

t.test(`advanced serialization ${rings ? 'moves to the rings too' : 'stays on the socket too (no rings in this build)'}`, async (t) => {
  const got = run({ serialization: 'advanced' });
  if (!rings) {
    t.notOk(got.rings, 'no rings in the child');
    return;
  }
  t.ok(got.rings && got.published >= got.sent, `${got.published} bytes published`);
});

t.test('DEKA_IPC_SHM=0 keeps the channel on the socket', async (t) => {
  const got = run({}, { DEKA_IPC_SHM: '0' });
  t.notOk(got.rings, 'no rings in the child');
  t.equal(got.published, 0);
});
