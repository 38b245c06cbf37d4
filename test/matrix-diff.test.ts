// The matrix data (scripts/matrix/data.js): assembling compat runs into columns × cases, the
// identity of a matrix, and what changed between two real runs of the same small compat tree.
import t from 'tap';
import fs from 'fs';
import { twoRuns, columns, data } from './matrix-fixture';

t.setTimeout(240_000); // two real compat runs on two runtimes
const { previous, current, tmp } = twoRuns();
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
const keys = columns.map((c) => c.key);
const pairs = (items: { column: string; file: string }[]) => items.map((i) => `${i.column} ${i.file}`).sort();
const both = (file: string) => keys.map((k) => `${k} ${file}`).sort();

t.test('assembled columns and cases', async (t) => {
  t.same(current.columns.map((c: { key: string }) => c.key), keys);
  t.same(current.phases, ['phase1-demo', 'phase2-demo']);
  for (const col of current.columns) {
    // run B: always-passes, turns-green, other-phase, new pass; always-fails, turns-red fail;
    // known is an XPASS (a failure); skips skips
    t.same(col.counts, { passed: 4, failed: 3, skipped: 1, xfail: 0, total: 8 }, col.key);
    t.same(col.phases['phase2-demo'], { passed: 2, failed: 0, skipped: 0, xfail: 0, total: 2 }, `${col.key} phase2`);
  }
  const byFile = new Map(current.cases.map((c: { file: string }) => [c.file, c]));
  const failing: any = byFile.get('phase1-demo/test-always-fails.js');
  t.equal(failing.header, 'ours: fails in both runs, with markup in its output');
  for (const k of keys) {
    t.equal(failing.results[k].outcome, 'fail');
    t.match(failing.results[k].output, '<b>not bold</b>', 'a failure keeps its output');
    t.notOk('output' in (byFile.get('phase1-demo/test-always-passes.js') as any).results[k], 'a pass keeps none');
  }
  t.same(previous.columns[0].counts, { passed: 4, failed: 2, skipped: 1, xfail: 1, total: 8 }, 'run A');
});

t.test('what changed from run A to run B', async (t) => {
  const ch = current.changes;
  t.equal(ch.previous.finishedAt, previous.finishedAt);
  t.same(pairs(ch.newlyPassing), both('phase1-demo/test-turns-green.js'));
  t.same(ch.newlyPassing.map((i: { from: string; to: string }) => `${i.from}>${i.to}`), ['fail>pass', 'fail>pass']);
  t.same(pairs(ch.newlyFailing), [...both('phase1-demo/test-known.js'), ...both('phase1-demo/test-turns-red.js')].sort(),
    'pass -> fail, and an expected failure that now passes (XPASS counts as a failure)');
  t.same(ch.otherChanges, []);
  t.same(pairs(ch.added), both('phase2-demo/test-new.js'));
  t.same(pairs(ch.removed), both('phase2-demo/test-gone.js'));
  t.same(ch.columns, []);
  t.equal(data.changeCount(ch), 2 + 4 + 2 + 2);
  t.same(data.diffMatrices(current, current).newlyFailing, [], 'a run compared with itself: no change');
});

t.test('unexpected failures: FAIL and XPASS, not xfail or skip', async (t) => {
  t.same(current.unexpected.map((u: { column: string; file: string }) => `${u.column} ${u.file}`).sort(), [
    ...both('phase1-demo/test-always-fails.js'), ...both('phase1-demo/test-known.js'), ...both('phase1-demo/test-turns-red.js'),
  ].sort());
  t.equal(previous.unexpected.length, 4, 'run A: always-fails and turns-green on two columns; known is an xfail');
});

t.test('a column that could not run, and a new version of a line', async (t) => {
  // rebuild run B with deka-ipc's column failing to build, the builtin on a newer patch release
  const again = data.assembleMatrix([
    { ...columns[0], error: 'build failed (addon); see logs/build.log' },
    { ...columns[1], version: 'v99.0.0', compat: null },
  ], { selection: {} });
  t.equal(again.columns[0].status, 'error');
  t.same(again.unexpected.map((u: { column: string; outcome: string }) => `${u.column} ${u.outcome}`), [`${keys[0]} error`, `${keys[1]} error`],
    'a column that did not run and a column with no case both count');
  const ch = data.diffMatrices(current, again);
  t.same(ch.columns.map((c: { column: string; change: string }) => `${c.column}: ${c.change}`), [
    `${keys[0]}: could not run: build failed (addon); see logs/build.log`,
    `${keys[1]}: version ${process.version} -> v99.0.0`,
  ]);
  t.same(ch.newlyFailing, [], 'cases are not compared where a side did not run');
  t.same(ch.removed.map((r: { column: string }) => r.column).filter((c: string) => c === keys[0]), []);
  const back = data.diffMatrices(again, current);
  t.same(back.columns.map((c: { change: string }) => c.change), ['runs again', `version v99.0.0 -> ${process.version}`]);
});

t.test('the identity of a matrix', async (t) => {
  const a = data.matrixIdentity(keys, { filters: ['x', 'y'], phases: ['2'] });
  t.equal(a.id, data.matrixIdentity(keys, { filters: ['y', 'x'], phases: ['2'] }).id, 'the order of filters does not matter');
  t.not(a.id, data.matrixIdentity(keys, { filters: ['x'], phases: ['2'] }).id, 'another selection is another matrix');
  t.not(a.id, data.matrixIdentity([...keys, 'bun'], { filters: ['x', 'y'], phases: ['2'] }).id, 'another column too');
  t.equal(current.id, previous.id, 'runs A and B are of the same matrix');
});

t.test('the terminal table', async (t) => {
  const text = data.textTable(current);
  const lines = text.split('\n');
  t.match(lines[0], new RegExp(`^phase\\s+${keys[0]}\\s+${keys[1]}$`));
  t.match(text, /phase1-demo\s+2\/6 3F 1s\s+2\/6 3F 1s/);
  t.match(text, /total\s+4\/8 3F 1s\s+4\/8 3F 1s/);
});
