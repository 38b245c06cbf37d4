#!/usr/bin/env node
'use strict';
// `npm run coverage`: c8 around the tap unit tests and one compat run on deka-ipc. c8 hands
// NODE_V8_COVERAGE to every process below it (tap's test files, the compat cases and the children
// they fork), so all of them count. Measured: dist/**/*.js (all of it, loaded or not, mapped back
// to src/*.ts through the source maps) and src/**/*.ts (what the unit tests load directly).
// Reports: a text summary here, html in coverage/index.html.
//
//   node scripts/coverage.js [compat options, e.g. --phase 2 --filter fork]

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const INNER = '--inner';

function run(args, extraEnv) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...extraEnv } });
  return r.status ?? 1;
}

// The measured program: both parts, one after the other; fails if either does.
function inner(compatArgs) {
  const tap = path.join(ROOT, 'node_modules', 'tap', 'dist', 'esm', 'run.mjs');
  // tap's own coverage (an inspector session per test process) is off: c8 measures instead.
  const unit = run([tap, '--disable-coverage']);
  const compat = run([path.join(__dirname, 'compat.js'), '--runtime', 'deka-ipc', '--plain', ...compatArgs]);
  process.stdout.write(`\ncoverage: unit tests ${unit ? 'FAILED' : 'passed'}, compat ${compat ? 'FAILED' : 'passed'}\n`);
  return unit || compat ? 1 : 0;
}

function outer(compatArgs) {
  if (!fs.existsSync(path.join(ROOT, 'dist'))) {
    process.stderr.write('coverage: dist/ is missing; build first (npm run build, or npm ci)\n');
    return 1;
  }
  const reportDir = path.join(ROOT, 'coverage');
  const c8 = path.join(ROOT, 'node_modules', 'c8', 'bin', 'c8.js');
  return run([
    c8,
    '--all',
    '--include', 'dist/**/*.js',
    '--include', 'src/**/*.ts',
    '--exclude', 'dist/**/*.d.ts',
    '--reporter', 'text-summary',
    '--reporter', 'text',
    '--reporter', 'html',
    '--reports-dir', reportDir,
    '--temp-directory', path.join(reportDir, '.v8'),
    '--clean',
    process.execPath, __filename, INNER, ...compatArgs,
  ]);
}

const argv = process.argv.slice(2);
process.exitCode = argv[0] === INNER ? inner(argv.slice(1)) : outer(argv);
if (argv[0] !== INNER && fs.existsSync(path.join(ROOT, 'coverage', 'index.html'))) {
  process.stdout.write(`coverage: html report in ${path.relative(process.cwd(), path.join(ROOT, 'coverage', 'index.html'))}\n`);
}
