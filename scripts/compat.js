#!/usr/bin/env node
'use strict';
// `npm run compat`, `npx deka-ipc compat`: the compat/ tree, every case in its own process,
// against a chosen runtime. The command line is here; the runner is scripts/compat/.

const { defineCli, positiveNumber, runCli } = require('./lib/cli');

/** The command line, its usage written for how it was started (`prog`). */
function compatCli(prog = 'node scripts/compat.js') {
  return defineCli({
    usage: `${prog} [options]`,
    options: [
      { name: 'runtime', type: 'string', value: '<r>', help: 'deka-ipc (default; node + --require=<package>/register.js), node (builtin IPC,\nthe oracle), bun, deno (deno run -A --unstable-detect-cjs), or any command line (split on spaces)' },
      { name: 'phase', type: 'string', multiple: true, value: '<p>', help: 'only these phases; repeatable. "1" = phase1*, "4" = phase4-*, or a folder name' },
      { name: 'filter', type: 'string', multiple: true, value: '<s>', help: 'only files whose path (relative to compat/) contains s; repeatable' },
      { name: 'jobs', short: 'j', type: 'string', value: '<n>', help: 'files run at once (default 2)' },
      { name: 'timeout', type: 'string', value: '<s>', help: 'seconds per file (default 60; a "// timeout: N" header line overrides)' },
      { name: 'json', type: 'string', value: '<file>', help: 'write the results as JSON' },
      { name: 'expect', type: 'string', value: '<file>', help: 'a release gate: the runtime\'s own list of known failures (see below) replaces\nknown-failures.json; only a failing case that is not listed fails the run' },
      { name: 'list', type: 'boolean', help: 'print the selected cases and their headers, run nothing' },
      { name: 'root', type: 'string', value: '<dir>', help: 'compat tree to run (default <package>/compat; env DEKA_COMPAT_ROOT)' },
      { name: 'plain', type: 'boolean', help: 'one line per finished file even on a TTY (no live dashboard)' },
      { name: 'verbose', short: 'v', type: 'boolean', help: 'print every case\'s output, not only the failures\' (implies --plain)' },
    ],
    epilogue: `Each file's first line is its header: "// node: <Node test it re-expresses>", "// ours: <what>" or
"// beyond: <why>" (expected to fail on every runtime but deka-ipc). Expected failures per runtime
live in <root>/known-failures.json: { "<runtime>": { "<phase>/<file>": "<reason>" } }.
Outcomes: ok, FAIL, skip (exit 0 and a "1..0 # Skipped: <reason>" line), xfail (an expected
failure), XPASS (an expected failure that passed: counted as failed, so the lists stay honest).
Exit code 1 on any unexpected failure or when no case matched.

--expect <file> is a runtime team's baseline: a JSON object { "<phase>/<file>": "<reason>", … }
(known-failures.json's shape for one runtime; paths relative to compat/), or the --json file of an
earlier run (its failures are the list). A listed case that fails is an expected failure; a listed
case that passes is reported ("passing now: take them off the list") and does not fail the run;
a failing case that is not listed is a regression, named in the last lines, and the exit code is 1.`,
  });
}

function options(values) {
  return {
    runtime: values.runtime,
    phases: values.phase || [],
    filters: values.filter || [],
    jobs: values.jobs === undefined ? undefined : positiveNumber(values.jobs, '--jobs'),
    timeout: values.timeout === undefined ? undefined : positiveNumber(values.timeout, '--timeout'),
    json: values.json,
    expect: values.expect,
    list: values.list,
    root: values.root,
    plain: values.plain,
    verbose: values.verbose,
  };
}

/** The CLI: -> its exit code. */
async function main(argv, prog) {
  // `… | head`: stop quietly (the 'exit' handler still ends the running groups)
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(1);
    throw err;
  });
  const cli = compatCli(prog);
  const { values } = cli.parse(argv);
  if (values.help) {
    process.stdout.write(`${cli.help()}\n`);
    return 0;
  }
  const opts = options(values);
  const { runCompat } = require('./compat/index');
  const c = await runCompat(opts);
  return opts.list ? (c.total ? 0 : 1) : (c.failed || !c.total ? 1 : 0);
}

/** Runs the CLI in this process (scripts/compat.js, bin/deka-ipc.js). */
function run(argv, prog) {
  const cli = compatCli(prog);
  runCli('compat', () => main(argv, prog), { usage: cli.help });
}

/** For scripts and tests: the runner itself, without the command line. */
function runCompat(opts) {
  return require('./compat/index').runCompat(opts);
}

module.exports = { runCompat, compatCli, main, run };

if (require.main === module) run(process.argv.slice(2));
