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

const { defineCli, runCli } = require('./lib/cli');
const { PROJECT_ROOT: ROOT } = require('./lib/runtime');
const { compatCli } = require('./compat');

const INNER = '--inner';
const cli = defineCli({
  usage: 'node scripts/coverage.js [compat options, e.g. --phase 2 --filter fork]',
  intro: 'c8 around the tap unit tests and one compat run on deka-ipc (--plain); the options are the\ncompat run\'s (npm run compat -- --help). Reports: a text summary here, html in coverage/index.html.',
  // the compat run's own options, checked here before anything starts (--runtime is deka-ipc)
  options: compatCli().spec.options.filter((o) => !['runtime', 'help', 'list'].includes(o.name)),
});

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

runCli('coverage', (argv) => {
  if (argv[0] === INNER) return inner(argv.slice(1));
  if (cli.parse(argv).values.help) {
    process.stdout.write(`${cli.help()}\n`);
    return 0;
  }
  const code = outer(argv);
  if (fs.existsSync(path.join(ROOT, 'coverage', 'index.html'))) {
    process.stdout.write(`coverage: html report in ${path.relative(process.cwd(), path.join(ROOT, 'coverage', 'index.html'))}\n`);
  }
  return code;
}, { usage: cli.help });
