// repro:next's comparison on a recorded `next dev` of the phase 5 fixture (two builtin runs and
// one deka-ipc run; test/fixtures/repro-next/README.md): a child that is not a jest-worker (the
// dev server, lib/start-server) is compared message by message per direction — the k-th message
// it sent, and the k-th it got, must match; how the two directions interleave is timing.
import t from 'tap';
import { load, dekaOf, verdictOf, cli, withDeka, type Run } from './repro-next-helpers';

const saved = load('dev.json.gz');
const server = (run: Run) => {
  const p = run.processes.find((x) => x.role.startsWith('lib/start-server#'));
  if (!p) throw new Error(`${run.label}: no lib/start-server child`);
  return p;
};
const index = (run: Run, what: string) => server(run).events.findIndex((e) => e.text.includes(what));

t.test('as recorded: no divergence (exit 0)', async (t) => {
  t.equal(verdictOf(saved, dekaOf(saved)).ok, true);
  const r = cli(saved);
  t.equal(r.status, 0, r.stdout + r.stderr);
  t.match(r.stdout, /no divergence: 3 messages in 1 IPC child/);
});

t.test('another interleaving of the two directions is timing: no divergence', async (t) => {
  const deka = dekaOf(saved);
  const events = server(deka).events;
  const i = index(deka, 'nextWorkerOptions');
  t.ok(i > 0, 'the options arrive after the first message out');
  const [options] = events.splice(i, 1);
  events.unshift(options);
  t.equal(verdictOf(saved, deka).ok, true);
});

t.test('two messages out in another order: reordered, exit 1', async (t) => {
  const deka = dekaOf(saved);
  const events = server(deka).events;
  const a = index(deka, 'nextWorkerReady');
  const b = index(deka, 'nextServerReady');
  [events[a], events[b]] = [events[b], events[a]];
  const v = verdictOf(saved, deka);
  t.equal(v.ok, false);
  t.equal(v.divergences[0].kind, 'reordered');
  t.match(v.divergences[0].detail, /nextServerReady/);
  const r = cli(withDeka(saved, deka));
  t.equal(r.status, 1);
  t.match(r.stdout, /FIRST DIVERGENCE 1 of 1: reordered, lib\/start-server#1 out/);
});

t.test('the ready message dropped: missing, exit 1', async (t) => {
  const deka = dekaOf(saved);
  server(deka).events.splice(index(deka, 'nextServerReady'), 1);
  const v = verdictOf(saved, deka);
  t.equal(v.ok, false);
  t.equal(v.divergences[0].kind, 'missing');
  t.match(v.divergences[0].detail, /nextServerReady/);
  t.equal(cli(withDeka(saved, deka)).status, 1);
});

t.test('a changed payload: changed, naming the key', async (t) => {
  const deka = dekaOf(saved);
  const e = server(deka).events[index(deka, 'nextServerReady')];
  e.text = e.text.replace('"distDir":".next/dev"', '"distDir":".next/elsewhere"');
  const v = verdictOf(saved, deka);
  t.equal(v.ok, false);
  t.match(v.divergences[0].detail, /\.distDir: ".next\/dev" vs ".next\/elsewhere"/);
});

t.test('a message the builtin runs never got: extra', async (t) => {
  const deka = dekaOf(saved);
  server(deka).events.push({ direction: 'in', text: '{"nextWorkerOptions":{"again":true}}' });
  const v = verdictOf(saved, deka);
  t.equal(v.ok, false);
  t.equal(v.divergences[0].kind, 'extra');
});

t.test('builtin runs that disagree on a message count: compared leniently, and still strict on the rest', async (t) => {
  // Builtin #2 made to send one message more (as a flaky app would): the group's count varies.
  const extra = '{"nextDevStatus":"compiled"}';
  const builtin = saved.runs.filter((r) => r.runtime === 'node').map((r) => JSON.parse(JSON.stringify(r)) as Run);
  server(builtin[1]).events.push({ direction: 'out', text: extra });
  const lenient = { ...saved, runs: [...builtin] };
  const judge = (deka: Run) => verdictOf(lenient, deka);
  const asRecorded = judge(dekaOf(saved));
  t.equal(asRecorded.ok, true, 'deka-ipc without the message: fine (builtin #1 has none either)');
  t.ok(asRecorded.discounted.some((d: { what: string; why: string }) => /number of messages/.test(d.what) && /learnt:/.test(d.why)), 'listed as discounted');
  const withIt = dekaOf(saved);
  server(withIt).events.push({ direction: 'out', text: extra });
  t.equal(judge(withIt).ok, true, 'deka-ipc with it: fine (builtin #2 has it)');
  const unknown = dekaOf(saved);
  server(unknown).events.push({ direction: 'out', text: '{"nextDevStatus":"never seen"}' });
  const v = judge(unknown);
  t.equal(v.ok, false, 'a message no builtin run has: extra');
  t.equal(v.divergences[0].kind, 'extra');
  const dropped = dekaOf(saved);
  server(dropped).events.splice(index(dropped, 'nextServerReady'), 1);
  const w = judge(dropped);
  t.equal(w.ok, false, 'a message every builtin run has, dropped: missing');
  t.equal(w.divergences[0].kind, 'missing');
});
