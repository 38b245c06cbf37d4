// Two real runs of a small compat tree for the matrix tests (not a test file itself: tap runs
// *.test.ts only). scripts/compat.js runs the tree on Node's builtin IPC and on deka-ipc, twice:
// between run A and run B, one case starts passing, one starts failing, an expected failure
// starts passing (XPASS), a case appears and one is deleted. The matrices are assembled by the
// same code as `npm run matrix` (scripts/matrix/data.js).
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawnSync } from 'child_process';

const root = path.resolve(__dirname, '..');
const compat = path.join(root, 'scripts', 'compat.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const data = require(path.join(root, 'scripts', 'matrix', 'data.js'));

const pass = (about: string) => `// ours: ${about}\n'use strict';\nprocess.stdout.write('fine\\n');\n`;
const fail = (about: string, text: string) => `// ours: ${about}\n'use strict';\nprocess.stderr.write(${JSON.stringify(text)});\nprocess.exit(1);\n`;

export const FAIL_TEXT = 'expected <b>not bold</b> & "quoted" in the output\n';

function writeTree(dir: string, run: 'A' | 'B') {
  fs.rmSync(dir, { recursive: true, force: true });
  const files: Record<string, string> = {
    'phase1-demo/test-always-passes.js': pass('passes in both runs'),
    'phase1-demo/test-always-fails.js': fail('fails in both runs, with markup in its output', FAIL_TEXT),
    'phase1-demo/test-skips.js': "// ours: skips itself\n'use strict';\nconsole.log('1..0 # Skipped: needs what this machine lacks');\n",
    'phase1-demo/test-turns-green.js': run === 'A' ? fail('fails in run A, passes in run B', 'not yet\n') : pass('fails in run A, passes in run B'),
    'phase1-demo/test-turns-red.js': run === 'A' ? pass('passes in run A, fails in run B') : fail('passes in run A, fails in run B', 'broken now\n'),
    'phase1-demo/test-known.js': run === 'A' ? fail('listed as a known failure; passes in run B', 'known\n') : pass('listed as a known failure; passes in run B'),
    'phase2-demo/test-other-phase.js': pass('a second phase'),
  };
  if (run === 'A') files['phase2-demo/test-gone.js'] = pass('only in run A');
  else files['phase2-demo/test-new.js'] = pass('only in run B');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const known = { reason: 'listed here on purpose' };
  fs.writeFileSync(path.join(dir, 'known-failures.json'), JSON.stringify({
    node: { 'phase1-demo/test-known.js': known.reason },
    'deka-ipc': { 'phase1-demo/test-known.js': known.reason },
  }));
}

const major = Number(process.versions.node.split('.')[0]);
export const columns = [
  { key: data.columnKey('deka-ipc', major), runtime: 'deka-ipc', line: major, version: process.version, label: `deka-ipc on Node ${process.version}` },
  { key: data.columnKey('node', major), runtime: 'node', line: major, version: process.version, label: `builtin on Node ${process.version}` },
];

function runColumns(dir: string, out: string, run: string) {
  return columns.map((col) => {
    const json = path.join(out, `${run}-${col.key}.json`);
    const r = spawnSync(process.execPath, [compat, '--root', dir, '--runtime', col.runtime, '--json', json, '--plain'], { encoding: 'utf8' });
    if (!fs.existsSync(json)) throw new Error(`compat.js wrote no ${json}: ${r.stdout}${r.stderr}`);
    return { ...col, compat: JSON.parse(fs.readFileSync(json, 'utf8')), log: null };
  });
}

const lines = [{ major, version: process.version, node: process.execPath, nodedir: "npm's default", origin: 'machine', build: { status: 'unchanged', durationMs: 1 } }];

/** -> { previous, current } matrices (current.changes set), and the folder to remove afterwards. */
export function twoRuns() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-matrix-'));
  const tree = path.join(tmp, 'compat');
  const meta = (startedAt: string) => ({ startedAt, finishedAt: new Date().toISOString(), lines, host: null, source: null, selection: {} });
  writeTree(tree, 'A');
  let t0 = new Date().toISOString();
  const previous = data.assembleMatrix(runColumns(tree, tmp, 'A'), meta(t0));
  writeTree(tree, 'B');
  t0 = new Date().toISOString();
  const current = data.assembleMatrix(runColumns(tree, tmp, 'B'), meta(t0));
  current.changes = data.diffMatrices(previous, current);
  return { previous, current, tmp };
}

export { data };
