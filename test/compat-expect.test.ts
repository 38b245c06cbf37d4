// `compat --expect <file>`: a runtime team's own list of known failures as a release gate. The
// real runner (scripts/compat.js) on a small real compat tree under Node's builtin IPC: a listed
// failure is expected, a listed case that passes is reported and does not fail the gate, a
// failure not on the list is a regression named in the output (exit code 1); an earlier run's
// --json works as the list; a malformed list is bad usage (exit code 2).
import t from 'tap';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawnSync } from 'child_process';

t.setTimeout(120_000);
const compat = path.resolve(__dirname, '..', 'scripts', 'compat.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-expect-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
const tree = path.join(tmp, 'compat');

const pass = `// ours: passes\n'use strict';\nprocess.stdout.write('fine\\n');\n`;
const fail = (text: string) => `// ours: fails\n'use strict';\nprocess.stderr.write(${JSON.stringify(text)});\nprocess.exit(1);\n`;
const cases: Record<string, string> = {
  'phase1-gate/test-passes.js': pass,
  'phase1-gate/test-listed-fails.js': fail('known to fail\n'),
  'phase1-gate/test-listed-passes.js': pass,
  'phase1-gate/test-regression.js': fail('broke in this release\n'),
};
for (const [rel, text] of Object.entries(cases)) {
  fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
  fs.writeFileSync(path.join(tree, rel), text);
}
// The tree's own list says the opposite for node: with --expect it must not be consulted.
fs.writeFileSync(path.join(tree, 'known-failures.json'), JSON.stringify({ node: { 'phase1-gate/test-passes.js': 'repository list' } }));

function writeList(name: string, list: unknown) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(list));
  return file;
}

function run(...args: string[]) {
  const json = path.join(tmp, `run-${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync(process.execPath, [compat, '--root', tree, '--runtime', 'node', '--plain', '--json', json, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const data = fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : null;
  return { status: r.status, out: r.stdout + r.stderr, data, json };
}

const outcome = (data: { results: { file: string; outcome: string }[] }, file: string) =>
  data.results.find((r) => r.file === `phase1-gate/${file}`)?.outcome;

const listed = writeList('known.json', {
  'phase1-gate/test-listed-fails.js': 'our runtime lacks it',
  'compat/phase1-gate/test-listed-passes.js': 'was broken last release',
});

t.test('every failure listed: the gate passes and names what passes now', async (t) => {
  const r = run('--expect', listed, '--filter', 'listed', '--filter', 'test-passes');
  t.equal(r.status, 0, 'exit code');
  t.equal(outcome(r.data, 'test-listed-fails.js'), 'xfail');
  t.equal(outcome(r.data, 'test-listed-passes.js'), 'pass');
  t.equal(outcome(r.data, 'test-passes.js'), 'pass', 'the repository list is not the baseline');
  t.same(r.data.gate.regressions, []);
  t.same(r.data.gate.nowPassing, ['phase1-gate/test-listed-passes.js']);
  t.match(r.out, /passing now \(1\): take them off the list\n {2}phase1-gate\/test-listed-passes\.js — listed: was broken last release/);
  t.match(r.out, /gate \(.*known\.json\): passed, no regression/);
});

t.test('a failure not on the list fails the gate, by name', async (t) => {
  const r = run('--expect', listed);
  t.equal(r.status, 1, 'exit code');
  t.equal(outcome(r.data, 'test-regression.js'), 'fail');
  t.equal(r.data.failed, 1, 'only the regression counts as failed');
  t.same(r.data.gate.regressions, ['phase1-gate/test-regression.js']);
  t.match(r.out, /gate \(.*known\.json\): FAILED, 1 regression\(s\): phase1-gate\/test-regression\.js/);
});

t.test('an earlier run\'s --json is a baseline too', async (t) => {
  const before = run(); // no --expect: the repository list (an XPASS for test-passes.js)
  t.equal(before.status, 1);
  t.equal(outcome(before.data, 'test-passes.js'), 'xpass', 'without --expect an XPASS still fails');
  const r = run('--expect', before.json);
  t.equal(r.status, 0, 'exit code');
  t.same(r.data.gate.regressions, []);
  t.equal(outcome(r.data, 'test-regression.js'), 'xfail');
});

t.test('a list that names no case warns; a malformed one is bad usage', async (t) => {
  const stale = writeList('stale.json', { 'phase1-gate/test-gone.js': 'removed case' });
  const r = run('--expect', stale, '--filter', 'test-passes');
  t.equal(r.status, 0, 'exit code');
  t.match(r.out, /warning: .*stale\.json lists phase1-gate\/test-gone\.js, but no such case exists/);
  for (const bad of [['not-an-object'], { 'phase1-gate/test-passes.js': 42 }]) {
    const b = run('--expect', writeList('bad.json', bad));
    t.equal(b.status, 2, 'exit code');
    t.match(b.out, /compat: .*bad\.json: /);
  }
  const missing = run('--expect', path.join(tmp, 'nope.json'));
  t.equal(missing.status, 2, 'exit code');
});

t.test('the repository list: a "sometimes:" reason takes a pass as a pass and a failure as expected', async (t) => {
  // A case whose outcome on a runtime depends on the machine's load (Node's builtin under the
  // disconnect-before-exit case): neither outcome may fail the run.
  const listFile = path.join(tree, 'known-failures.json');
  const saved = fs.readFileSync(listFile, 'utf8');
  t.teardown(() => fs.writeFileSync(listFile, saved));
  fs.writeFileSync(listFile, JSON.stringify({ node: {
    'phase1-gate/test-passes.js': 'sometimes: fails under load here',
    'phase1-gate/test-listed-fails.js': 'sometimes: fails under load here',
    'phase1-gate/test-listed-passes.js': 'beyond: always fails here',
  } }));
  const r = run('--filter', 'test-passes', '--filter', 'listed');
  t.equal(outcome(r.data, 'test-passes.js'), 'pass');
  t.match(r.out, /test-passes\.js .*\(listed: sometimes: fails under load here\)/);
  t.equal(outcome(r.data, 'test-listed-fails.js'), 'xfail');
  t.equal(outcome(r.data, 'test-listed-passes.js'), 'xpass', 'without "sometimes:" a listed pass is still an XPASS');
  t.equal(r.status, 1, 'the XPASS fails the run');
});
