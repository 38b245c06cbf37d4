#!/usr/bin/env node
'use strict';
// `npm run matrix`: the compat suite on deka-ipc and on Node's builtin IPC, on every Node line
// (and on bun and deno when there), in one report: matrix-report/matrix.json + matrix.html.
//
// For each line: the official build comes from npm (node-<platform>-<arch>@<major>, bin/node and
// the headers under include/node), installed once into a cache folder outside the repository;
// a copy of this package in that cache (node_modules hard-linked to ours) is built for the line
// (node-gyp through npx with the line's bin/ first on PATH and npm_config_nodedir at the package;
// the machine's own node keeps npm's default nodedir); then scripts/compat.js of that copy runs
// under the line's node, once with --runtime deka-ipc and once with --runtime node. The command
// line is here; the work is in scripts/matrix/.

const { defineCli, runCli } = require('./lib/cli');
const { PLATFORM_PACKAGE, DEFAULT_MAJORS } = require('./matrix/lines');
const { compatCli } = require('./compat');

const COMPAT_OPTIONS = ['phase', 'filter', 'jobs', 'timeout'];

const cli = defineCli({
  usage: 'npm run matrix -- [options]',
  options: [
    { name: 'node', type: 'string', multiple: true, value: '<lines>', help: `Node lines, comma-separated, repeatable: a major (22: the machine's node when
it is that major, else ${PLATFORM_PACKAGE}@22 from npm, installed once into the
cache) or a path (a folder with bin/node, like an unpacked official build, or a
node binary). Default: ${DEFAULT_MAJORS.join(',')} and the machine's node (${process.version})` },
    { name: 'bun', type: 'string', value: '<path>', help: 'run the suite on this bun too (default: bun when on PATH)' },
    { name: 'deno', type: 'string', value: '<path>', help: 'run the suite on this deno too (default: deno when on PATH)' },
    { name: 'no-bun', type: 'boolean', help: 'leave bun out even when on PATH' },
    { name: 'no-deno', type: 'boolean', help: 'leave deno out even when on PATH' },
    // passed to every compat run: one definition, the compat runner's
    ...compatCli().spec.options.filter((o) => COMPAT_OPTIONS.includes(o.name)),
    { name: 'out', type: 'string', value: '<dir>', help: 'where matrix.json, matrix.html, logs/ and runs/ go (default <repo>/matrix-report)' },
    { name: 'cache', type: 'string', value: '<dir>', help: 'downloaded lines and per-line builds (default $DEKA_MATRIX_CACHE, else\n${XDG_CACHE_HOME:-~/.cache}/deka-ipc/node-lines)' },
    { name: 'rebuild', type: 'boolean', help: 'build every line again even when its sources did not change' },
    { name: 'verbose', short: 'v', type: 'boolean', help: 'stream every compat run\'s output (default: logs/<column>.log)' },
  ],
  epilogue: `--phase, --filter, --jobs and --timeout go to every compat run (npm run compat -- --help).
The report compares each run with the previous run of the same matrix (same columns, same
selection; kept in <out>/history/) and lists what newly passes and newly fails.
Exit code 0 when every column ran and nothing failed unexpectedly, 1 otherwise, 2 on bad usage.`,
});

/** argv -> the options of runMatrix (scripts/matrix/index.js). */
function parseArgs(argv) {
  const { values: v } = cli.parse(argv);
  return {
    help: v.help,
    node: (v.node || []).flatMap((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
    phases: v.phase || [],
    filters: v.filter || [],
    // false: left out; a path: that binary; undefined: the one on PATH, if any
    bun: v['no-bun'] ? false : v.bun,
    deno: v['no-deno'] ? false : v.deno,
    jobs: v.jobs,
    timeout: v.timeout,
    out: v.out,
    cache: v.cache,
    rebuild: v.rebuild,
    verbose: v.verbose,
  };
}

async function main(argv) {
  const opts = parseArgs(argv);
  if (opts.help) {
    process.stdout.write(`${cli.help()}\n`);
    return 0;
  }
  return require('./matrix/index').runMatrix(opts);
}

module.exports = { parseArgs };

if (require.main === module) runCli('matrix', main, { usage: cli.help });
