// ours: `next build` succeeds and its jest-worker children (json mode, array messages) run on the runtime's IPC: initialize, isPageStatic/exportPages calls, activity and results
// timeout: 300
'use strict';
// What next 16.4.6 builds with (node_modules/next/dist/build/index.js, lib/worker.js): the
// default bundler is Turbopack, which compiles in the CLI process (native, no IPC child). The
// fixture is JavaScript, so no type-check worker starts (build/type-check.js forks one only for
// a TypeScript project), and build traces are collected in a worker only with webpack. What
// remains is the static worker: a jest-worker farm (next/dist/compiled/jest-worker,
// ChildProcessWorker: child_process.fork of processChild.js, stdio piped + 'ipc', json
// serialization) running build/worker.js, with experimental.cpus workers (default: cores - 1,
// at least 1, capped at tasks + 1). It does "Collecting page data" (isPageStatic per route) and
// "Generating static pages" (exportPages; export/worker.js sends [3, {type: 'activity'}] per
// page). At the end next sends SIGINT to each worker, then [2, false] (end). `next build
// --webpack` also forks one webpack-build/impl.js worker per compiler (server, edge, client).
require('../common');
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const next = require('./next-fixture');

// jest-worker's message types
const CHILD_MESSAGE_INITIALIZE = 0;
const CHILD_MESSAGE_CALL = 1;
const PARENT_MESSAGE_OK = 0;
const PARENT_MESSAGE_CUSTOM = 3;

(async () => {
  const t0 = Date.now();
  const dir = next.copyApp('build');
  const build = next.startNext(dir, ['build']);
  next.deadline(280000, build);
  const { code, signal } = await next.waitExit(build, 240000);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  assert.deepStrictEqual({ code, signal }, { code: 0, signal: null },
                         `next build exit\n--- next output ---\n${build.output()}`);
  assert.ok(fs.existsSync(path.join(dir, '.next', 'BUILD_ID')), '.next/BUILD_ID produced');
  assert.ok(fs.existsSync(path.join(dir, '.next', 'server', 'app', 'index.html')), '/ prerendered');
  assert.match(build.output(), /Generating static pages using \d+ workers?/);

  // Every observed entry comes from an IPC child of the build (the CLI has no channel).
  const entries = next.observed(build.logs.observe);
  assert.ok(entries.length > 0, 'the build ran IPC children');
  const expected = next.runtime() === 'deka-ipc' ? 'deka-ipc' : 'builtin';
  assert.deepStrictEqual([...new Set(entries.map((e) => e.channel))], [expected], 'channel implementation');
  for (const e of entries) {
    assert.notStrictEqual(e.pid, build.child.pid);
    assert.strictEqual(e.ppid, build.child.pid, 'workers are children of the next CLI');
    assert.match(e.script, /jest-worker[\\/]processChild\.js$/);
    assert.ok(Array.isArray(e.message), `jest-worker messages are arrays: ${JSON.stringify(e.message).slice(0, 200)}`);
  }

  const workers = new Map();
  for (const e of entries) {
    if (!workers.has(e.pid)) workers.set(e.pid, []);
    workers.get(e.pid).push(e);
  }
  const methods = [];
  for (const [pid, list] of workers) {
    const [init] = list;
    assert.strictEqual(init.direction, 'in', `worker ${pid} first receives its module`);
    assert.strictEqual(init.message[0], CHILD_MESSAGE_INITIALIZE);
    assert.match(init.message[2], /next[\\/]dist[\\/]build[\\/]worker\.js$/);
    const calls = list.filter((e) => e.direction === 'in' && e.message[0] === CHILD_MESSAGE_CALL);
    const results = list.filter((e) => e.direction === 'out' && e.message[0] === PARENT_MESSAGE_OK);
    const errors = list.filter((e) => e.direction === 'out' && ![PARENT_MESSAGE_OK, PARENT_MESSAGE_CUSTOM].includes(e.message[0]));
    assert.deepStrictEqual(errors.map((e) => e.message), [], `worker ${pid} reported no error`);
    assert.strictEqual(results.length, calls.length, `worker ${pid} answered every call`);
    methods.push(...calls.map((e) => e.message[2]));
  }
  assert.ok(methods.includes('isPageStatic'), 'page data collected in a worker');
  assert.ok(methods.includes('exportPages'), 'static pages generated in a worker');
  const activity = entries.filter((e) => e.direction === 'out' && e.message[0] === PARENT_MESSAGE_CUSTOM &&
                                          e.message[1] && e.message[1].type === 'activity');
  assert.ok(activity.length >= 3, `an activity message per generated page (${activity.length})`);

  // Under deka-ipc each of those messages is in the trace at the worker and at the CLI.
  next.assertTracedEntries(build.logs.trace, entries);

  // The workers are gone with the build.
  await next.assertAllGone('after next build', [...workers.keys()], build.child.pid, 30000, build, dir);
  console.log(`next build ${seconds}s: ${workers.size} worker(s), ${entries.length} messages observed, ` +
              `calls: ${[...new Set(methods)].join(', ')}`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
