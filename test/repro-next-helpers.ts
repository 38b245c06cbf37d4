// Shared by the repro-next-compare-*.test.ts files: repro:next's comparison
// (scripts/repro-next/compare.js, issue 15) on real recorded runs of `next build` of
// compat/phase5-nextjs/app-realistic (test/fixtures/repro-next/README.md says how they were
// recorded): as recorded, the deka-ipc run is explained by the builtin runs; the builtin runs
// really differ from each other; and a deka-ipc run made to diverge on purpose (a dropped
// message, a reordered pair on one worker, a changed payload, another exit code or outcome)
// is reported, by name — with exit code 1 from the CLI (--compare), where the CLI is run.
import type { Test as Tap } from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { compareRecords } = require('../scripts/repro-next/compare.js');

export interface Event { direction: string; text: string }
export interface Proc { role: string; events: Event[] }
export interface Run { runtime: string; label: string; steps: string[]; processes: Proc[]; notes: unknown[] }
export interface Saved { mode: string; app: string; runs: Run[] }

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'repro-next');
const CLI = path.join(ROOT, 'scripts', 'repro-next');

export function load(name: string): Saved {
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, name))).toString('utf8'));
}

export const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));
export const builtinOf = (s: Saved) => s.runs.filter((r) => r.runtime === 'node');
export const dekaOf = (s: Saved) => copy(s.runs.find((r) => r.runtime === 'deka-ipc') as Run);
export const verdictOf = (s: Saved, deka: Run) => compareRecords({ builtin: builtinOf(s), deka });
export const asDeka = (r: Run): Run => ({ ...copy(r), runtime: 'deka-ipc', label: 'deka-ipc' });

/** The export worker of a run: the process that got the exportPages call. */
export function exportWorker(run: Run): Proc {
  const p = run.processes.find((x) => x.events.some((e) => e.direction === 'in' && e.text.includes('"exportPages"')));
  if (!p) throw new Error(`${run.label}: no exportPages call`);
  return p;
}

/** The index of the isPageStatic call for `page` in the process that got it. */
export function staticCall(run: Run, page: string): { proc: Proc; index: number } {
  for (const proc of run.processes) {
    const index = proc.events.findIndex((e) => e.direction === 'in' && e.text.includes('"isPageStatic"') &&
                                              e.text.includes(`"page":${JSON.stringify(page)}`));
    if (index !== -1) return { proc, index };
  }
  throw new Error(`${run.label}: no isPageStatic call for ${page}`);
}

/** Runs the CLI's --compare on `saved` (written to a temporary file); { status, stdout }. */
export function cli(saved: Saved) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repro-next-test-'));
  try {
    const file = path.join(dir, 'runs.json');
    fs.writeFileSync(file, JSON.stringify(saved));
    const r = spawnSync(process.execPath, [CLI, '--compare', file, '--width', '120'], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const withDeka = (s: Saved, deka: Run): Saved => ({ ...s, runs: [...builtinOf(s), deka] });

/** The cases every recorded build goes through. */
export function suite(t: Tap, bundler: string, file: string): void {
  t.test(`${bundler}: recorded runs`, async (t) => {
    const saved = load(file);
    const builtin = builtinOf(saved);
    t.ok(builtin.length >= 2, 'two builtin runs or more');

    t.test('as recorded, deka-ipc is explained by the builtin runs (exit 0)', async (t) => {
      const v = verdictOf(saved, dekaOf(saved));
      t.same(v.divergences.map((d: { detail: string }) => d.detail), [], 'no divergence');
      t.equal(v.ok, true);
      const r = cli(saved);
      t.equal(r.status, 0, r.stdout.slice(-2000) + r.stderr);
      t.match(r.stdout, /no divergence/);
      t.match(r.stdout, /Discounted/);
    });

    t.test('the builtin runs differ by themselves: one alone would cry wolf at another', async (t) => {
      const v = compareRecords({ builtin: [builtin[0]], deka: asDeka(builtin[1]) });
      t.equal(v.ok, false, 'builtin #2 diverges from builtin #1 alone');
      t.match(v.divergences.map((d: { detail: string }) => d.detail).join('\n'), /htmlSize/, 'e.g. a page\'s htmlSize');
      const both = compareRecords({ builtin, deka: dekaOf(saved) });
      const learnt = both.discounted.filter((d: { why: string }) => d.why.startsWith('learnt:'));
      t.ok(learnt.some((d: { what: string }) => /htmlSize/.test(d.what)), 'htmlSize is listed as discounted, with its reason');
    });

    t.test('noisy but equal: another builtin run, shuffled across workers and calls, passes', async (t) => {
      // Builtin #2 as if it were deka-ipc, with its static-check calls in another order.
      const deka = asDeka(builtin[1]);
      const { proc, index } = staticCall(deka, '/blog/[slug]');
      const pair = proc.events.splice(index, 2);
      proc.events.splice(1, 0, ...pair); // right after the worker's init message
      const v = verdictOf(saved, deka);
      t.same(v.divergences.map((d: { detail: string }) => d.detail), []);
    });

    t.test('a dropped message fails, naming the call', async (t) => {
      const deka = dekaOf(saved);
      const w = exportWorker(deka);
      const i = w.events.findIndex((e) => e.text === '[3,{"type":"activity"}]');
      w.events.splice(i, 1);
      const v = verdictOf(saved, deka);
      t.equal(v.ok, false);
      t.match(v.divergences[0].detail, /call exportPages .*\((\d+) messages in builtin #\d, \d+ in deka-ipc\)/);
      const r = cli(withDeka(saved, deka));
      t.equal(r.status, 1);
      t.match(r.stdout, /FIRST DIVERGENCE 1 of \d+: changed, jest-worker\/processChild pool/);
      t.match(r.stdout, /call exportPages/);
    });

    t.test('a dropped call (and its reply) fails as missing', async (t) => {
      const deka = dekaOf(saved);
      const { proc, index } = staticCall(deka, '/shop/[id]');
      proc.events.splice(index, 2);
      const v = verdictOf(saved, deka);
      t.equal(v.ok, false);
      t.ok(v.divergences.some((d: { kind: string; detail: string }) => d.kind === 'missing' && /isPageStatic \/shop\/\[id\]/.test(d.detail)),
        v.divergences.map((d: { detail: string }) => d.detail).join('\n'));
    });

    t.test('a reordered pair on one worker fails: a reply before its call', async (t) => {
      const deka = dekaOf(saved);
      const { proc, index } = staticCall(deka, '/blog/[slug]');
      [proc.events[index], proc.events[index + 1]] = [proc.events[index + 1], proc.events[index]];
      const v = verdictOf(saved, deka);
      t.equal(v.ok, false);
      t.match(v.divergences.map((d: { detail: string }) => d.detail).join('\n'), /isPageStatic \/blog\/\[slug\]/);
    });

    t.test('a reordered pair on one worker fails: the result before the last progress message', async (t) => {
      const deka = dekaOf(saved);
      const w = exportWorker(deka);
      const last = w.events.map((e) => e.direction).lastIndexOf('out');
      t.equal(w.events[last - 1].text, '[3,{"type":"activity"}]', 'the result follows an activity message');
      [w.events[last - 1], w.events[last]] = [w.events[last], w.events[last - 1]];
      const v = verdictOf(saved, deka);
      t.equal(v.ok, false);
      t.match(v.divergences[0].detail, /call exportPages .*: message \d+ \('out'\) differs/);
    });

    t.test('a changed payload fails, naming the path', async (t) => {
      const deka = dekaOf(saved);
      const { proc, index } = staticCall(deka, '/docs/[section]/[topic]');
      const reply = proc.events[index + 1];
      t.match(reply.text, /"pathname":"\/docs\/guide\/guide-topic-1"/);
      reply.text = reply.text.replace('"pathname":"/docs/guide/guide-topic-1"', '"pathname":"/docs/guide/guide-topic-X"');
      const v = verdictOf(saved, deka);
      t.equal(v.ok, false);
      t.match(v.divergences[0].detail, /isPageStatic \/docs\/\[section\]\/\[topic\]: .*pathname/);
      const r = cli(withDeka(saved, deka));
      t.equal(r.status, 1);
      t.match(r.stdout, /guide-topic-X/);
    });

    t.test('a changed payload in a page result fails', async (t) => {
      const deka = dekaOf(saved);
      const w = exportWorker(deka);
      const last = w.events[w.events.length - 1].direction === 'out' ? w.events.length - 1 : w.events.map((e) => e.direction).lastIndexOf('out');
      const before = w.events[last].text;
      w.events[last].text = before.replace('"hasStaticRsc":true', '"hasStaticRsc":false');
      t.not(w.events[last].text, before, 'mutated');
      const v = verdictOf(saved, deka);
      t.equal(v.ok, false);
      t.match(v.divergences[0].detail, /hasStaticRsc/);
    });

    t.test('a change where the builtin runs vary themselves is discounted (and listed)', async (t) => {
      const deka = dekaOf(saved);
      const w = exportWorker(deka);
      const last = w.events.map((e) => e.direction).lastIndexOf('out');
      w.events[last].text = w.events[last].text.replace(/"htmlSize":(\d+)/, (_, n) => `"htmlSize":${Number(n) + 1}`);
      const v = verdictOf(saved, deka);
      t.equal(v.ok, true);
    });

    t.test('another exit code or outcome fails', async (t) => {
      const deka = dekaOf(saved);
      deka.steps = deka.steps.map((s) => s.replace(/next exit: code \d+/, "next exit: code 99"));
      const v = verdictOf(saved, deka);
      t.equal(v.ok, false);
      t.ok(v.outcome, 'outcome differs');
      const r = cli(withDeka(saved, deka));
      t.equal(r.status, 1);
      t.match(r.stdout, /OUTCOME DIFFERS: deka-ipc: .*next exit: code 99/);
    });

    t.test('a message no builtin run has fails as extra', async (t) => {
      const deka = dekaOf(saved);
      const w = exportWorker(deka);
      w.events.push({ direction: 'out', text: '[3,{"type":"activity"}]' });
      w.events.push({ direction: 'in', text: '[1,true,"isPageStatic",[{"page":"/nowhere"}]]' });
      const v = verdictOf(saved, deka);
      t.equal(v.ok, false);
      t.ok(v.divergences.some((d: { kind: string; detail: string }) => d.kind === 'extra' && /\/nowhere/.test(d.detail)));
    });
  });
}
