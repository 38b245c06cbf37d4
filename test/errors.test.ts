// Oracle tests for src/errors.ts and src/validators.ts.
//
// Real Node is the oracle throughout:
//  1. public Node APIs that run the same validator are fed a wide table of
//     values and the error Node throws is compared with ours (constructor,
//     name, code, message, toString(), stack header, own keys, inspect());
//     where a value passes, a later "sentinel" check in the same Node API
//     makes Node throw something else before any process is started;
//  2. a real forked child provides the IPC channel errors;
//  3. a `node --expose-internals` subprocess runs Node's own internal
//     validators and error constructors over the same table, which covers
//     what no public API exposes (ERR_MISSING_ARGS with 3+ names, ...);
//  4. a few literal messages spell out the expected text.
//
// Everything is compared with the Node that runs the test, on every line
// (20, 22, 24, 26). Where a line no longer has the Node code a row compares
// with (moved to C++ or to WebIDL), that row is skipped with the reason and
// the line named, never passed silently.

import t from 'tap';
import * as cp from 'child_process';
import * as crypto from 'crypto';
import * as diagnosticsChannel from 'diagnostics_channel';
import * as dns from 'dns';
import * as fs from 'fs';
import * as path from 'path';
import * as stream from 'stream';
import * as url from 'url';
import * as util from 'util';
import * as vm from 'vm';
import { once } from 'events';

import * as E from '../src/errors';
import * as V from '../src/validators';

// ---------------------------------------------------------------------------
// Shared pieces (JS source, so the --expose-internals child can use them too)
// ---------------------------------------------------------------------------

// [label, JS expression]
const VALUE_SOURCES: Array<[string, string]> = [
  ['0', '0'],
  ['-0', '-0'],
  ['1', '1'],
  ['15', '15'],
  ['99', '99'],
  ['1.5', '1.5'],
  ['-1', '-1'],
  ['-2', '-2'],
  ['40', '40'],
  ['NaN', 'NaN'],
  ['Infinity', 'Infinity'],
  ['-Infinity', '-Infinity'],
  ['2**31', '2 ** 31'],
  ['2**32', '2 ** 32'],
  ['2**32+1', '2 ** 32 + 1'],
  ['-(2**32+1)', '-(2 ** 32 + 1)'],
  ['2**53', '2 ** 53'],
  ['2**60', '2 ** 60'],
  ['1e21', '1e21'],
  ['Number.MAX_VALUE', 'Number.MAX_VALUE'],
  ['empty string', "''"],
  ['short string', "'abc'"],
  ['28-char string', "'a'.repeat(28)"],
  ['29-char string', "'b'.repeat(29)"],
  ['200-char string', "'x'.repeat(200)"],
  ['string with quote', `"it's"`],
  ['long string with quote', `"it's ".repeat(10)`],
  ['string with double quote', `'say "hi"'`],
  ['string with NUL', "'a\\u0000b'"],
  ['long string with NUL', "'y'.repeat(200) + '\\u0000'"],
  ['signal name', "'SIGTERM'"],
  ['lower-case signal name', "'sigint'"],
  ['unknown signal name', "'SIGFOO'"],
  ['prototype key', "'toString'"],
  ['file: URL string', "'file:///tmp/x'"],
  ['true', 'true'],
  ['false', 'false'],
  ['null', 'null'],
  ['undefined', 'undefined'],
  ['named function', '(function named() {})'],
  ['anonymous function', '[function () {}][0]'],
  ['arrow function', '[() => {}][0]'],
  ['class', '(class Foo {})'],
  ['async function', '(async function af() {})'],
  ['class instance', 'new (class Foo {})()'],
  ['empty object', '({})'],
  ['object', "({ a: 1, b: 'two' })"],
  ['null-prototype object', 'Object.create(null)'],
  ['object with non-function constructor', '({ constructor: 5 })'],
  ['empty array', '[]'],
  ['array', '[1, 2, 3]'],
  ['array of strings', "['a', 'b']"],
  ['100-element array', 'Array.from({ length: 100 }, (_, i) => i)'],
  ['symbol', "Symbol('sym')"],
  ['anonymous symbol', 'Symbol()'],
  ['bigint', '10n'],
  ['large bigint', '2n ** 70n'],
  ['negative bigint', '-(2n ** 33n)'],
  ['Buffer', "Buffer.from('abc')"],
  ['Buffer with NUL', "Buffer.from('a\\u0000b')"],
  ['Uint8Array', 'new Uint8Array([104, 105])'],
  ['file: URL', "new URL('file:///tmp/x%20y')"],
  ['http: URL', "new URL('http://example.com/p')"],
  ['file: URL with host', "new URL('file://host/x')"],
  ['file: URL with encoded slash', "new URL('file:///a%2Fb')"],
  ['Date', 'new Date(0)'],
  ['RegExp', '/re/g'],
  ['Map', 'new Map([[1, 2]])'],
  ['AbortSignal', 'new AbortController().signal'],
  ['object with aborted', '({ aborted: false })'],
  // A fixed stack, so that inspecting it gives the same text in every process.
  [
    'Error',
    "Object.assign(new Error('boom'), { stack: 'Error: boom\\n    at somewhere (file.js:1:1)' })",
  ],
  ['boxed string', "new String('s')"],
];

// Produces a comparable description of an error (or of a non-error).
const FINGERPRINT_SRC = `(function (inspect) {
  return function fingerprint(e) {
    if (!(e instanceof Error)) {
      return { notAnError: typeof e === 'symbol' ? String(e) : inspect(e) };
    }
    const ctor = e.constructor === RangeError ? 'RangeError'
      : e.constructor === TypeError ? 'TypeError'
      : e.constructor === Error ? 'Error'
      : 'other:' + (e.constructor && e.constructor.name);
    const base = e instanceof RangeError ? 'RangeError'
      : e instanceof TypeError ? 'TypeError' : 'Error';
    return {
      ctor,
      base,
      name: e.name,
      code: e.code,
      message: e.message,
      toString: String(e),
      header: String(e.stack).split('\\n    at ')[0],
      keys: Object.keys(e),
      ownKeys: Reflect.ownKeys(e).map(String),
      nameIsOwn: Object.prototype.hasOwnProperty.call(e, 'name'),
      messageEnumerable: Object.prototype.propertyIsEnumerable.call(e, 'message'),
      // inspect() without the stack frames. Whether frames exist (and how
      // many are shared with a cause) depends on the call site, and changes
      // the layout ("[header] { ... }" on one line when there are none), so
      // the layout is normalized too.
      inspected: inspect(e)
        .replace(/\\n\\s+(?:at [^\\n]*?|\\.\\.\\. \\d+ lines? matching cause stack trace \\.\\.\\.)( \\{)?(?=\\n|$)/g, '$1')
        .replace(/\\s+/g, ' ')
        .replace(/^\\[(.*)\\]( \\{ .* \\})?$/, '$1$2'),
    };
  };
})`;

type Fingerprint = Record<string, unknown>;
const fingerprint: (e: unknown) => Fingerprint = vm.runInThisContext(FINGERPRINT_SRC)(
  util.inspect,
);

const VALUES: Array<[string, unknown]> = VALUE_SOURCES.map(([label, src]) => [
  label,
  vm.runInThisContext(`(${src})`),
]);

const NO_THROW = Symbol('no throw');
function grab(fn: () => unknown): unknown {
  // Some Node internals leave Error.stackTraceLimit at 0 when building an
  // error message throws (e.g. `{ constructor: 5 }`); keep ours intact.
  const limit = Error.stackTraceLimit;
  try {
    fn();
  } catch (err) {
    return err;
  } finally {
    Error.stackTraceLimit = limit;
  }
  return NO_THROW;
}

interface Coded {
  code?: unknown;
  message?: unknown;
}
function isCoded(e: unknown, code: string, fragment = ''): boolean {
  return (
    e instanceof Error &&
    (e as Coded).code === code &&
    String((e as Coded).message).includes(fragment)
  );
}

// The running Node line, for the rows whose oracle exists on some lines only.
const nodeMajor = Number.parseInt(process.versions.node, 10);

// A file descriptor that cannot exist, so that Node's call fails with EBADF
// after validation instead of doing anything.
const BAD_FD = 2 ** 31 - 1;
const NO_SUCH_FILE = '/nonexistent/deka-ipc-no-such-command';

// ---------------------------------------------------------------------------
// 1. Public Node APIs as oracles
// ---------------------------------------------------------------------------

interface Oracle {
  title: string;
  ours: (v: unknown) => unknown;
  node: (v: unknown) => unknown;
  /** Recognizes Node's outcome when the value passed the validator. */
  passed?: (e: unknown) => boolean;
  /** Values this Node API handles before reaching the validator. */
  skip?: (v: unknown) => boolean;
  /** Call Node only for values we reject (Node would do real work otherwise). */
  onlyRejected?: boolean;
  /** What our validator should return for accepted values. */
  result?: (v: unknown) => unknown;
  /** Why the running line has nothing to compare with (the row is skipped, visibly). */
  unavailable?: string | false;
}

function runOracle(o: Oracle): void {
  t.test(o.title, { skip: o.unavailable || false }, async (t) => {
    let compared = 0;
    for (const [label, v] of VALUES) {
      if (o.skip?.(v)) continue;
      let returned: unknown;
      const ours = grab(() => {
        returned = o.ours(v);
      });
      if (ours === NO_THROW) {
        if (o.result) t.strictSame(returned, o.result(v), `${label}: result`);
        if (o.onlyRejected) continue;
      }
      const theirs = grab(() => o.node(v));
      if (ours === NO_THROW) {
        const ok = theirs === NO_THROW || (o.passed?.(theirs) ?? false);
        t.ok(ok, `${label}: accepted by Node too`, {
          node: theirs === NO_THROW ? 'no throw' : fingerprint(theirs),
        });
      } else {
        t.strictSame(fingerprint(ours), fingerprint(theirs), `${label}: same error`);
        compared++;
      }
    }
    t.ok(compared > 0, `compared at least one error (${compared})`);
  });
}

// --- getValidatedPath -------------------------------------------------------

runOracle({
  title: "getValidatedPath(x, 'modulePath') vs child_process.fork(x)",
  ours: (v) => V.getValidatedPath(v, 'modulePath'),
  // stdio without 'ipc' makes a valid fork() throw before spawning.
  node: (v) => cp.fork(v as string, [], { stdio: ['pipe'] }),
  passed: (e) => isCoded(e, 'ERR_CHILD_PROCESS_IPC_REQUIRED'),
  result: (v) =>
    typeof v === 'string'
      ? v
      : V.isURL(v)
        ? url.fileURLToPath(v)
        : Buffer.from(v as Uint8Array).toString('utf8'),
});

runOracle({
  title: "getValidatedPath(x, 'options.cwd') vs child_process.spawn('x', { cwd: x })",
  ours: (v) => V.getValidatedPath(v, 'options.cwd'),
  node: (v) => cp.spawn('x', { cwd: v as string, detached: 'no' as unknown as boolean }),
  passed: (e) => isCoded(e, 'ERR_INVALID_ARG_TYPE', '"options.detached"'),
  skip: (v) => v == null,
});

// --- validateObject ---------------------------------------------------------

runOracle({
  title: "validateObject(x, 'options') vs crypto.randomUUID(x)",
  ours: (v) => V.validateObject(v, 'options'),
  node: (v) => crypto.randomUUID(v as crypto.RandomUUIDOptions),
  skip: (v) => v === undefined,
});

runOracle({
  title: "validateObject(x, 'options') vs child_process.fork('x', [], x) (rejections)",
  ours: (v) => V.validateObject(v, 'options'),
  node: (v) => cp.fork('x', [], v as cp.ForkOptions),
  skip: (v) => v == null,
  onlyRejected: true,
});

runOracle({
  title: "validateObject(x, 'options') vs child_process.spawn('x', [], x) (rejections)",
  ours: (v) => V.validateObject(v, 'options'),
  node: (v) => cp.spawn('x', [], v as cp.SpawnOptions),
  skip: (v) => v === undefined,
  onlyRejected: true,
});

runOracle({
  title: "validateObject(x, 'options', { nullable: true }) vs fs.readSync(fd, buf, x)",
  ours: (v) => V.validateObject(v, 'options', { nullable: true }),
  node: (v) => fs.readSync(BAD_FD, Buffer.alloc(1), v as fs.ReadSyncOptions),
  passed: (e) => !isCoded(e, 'ERR_INVALID_ARG_TYPE', 'The "options" argument'),
  skip: (v) => v === undefined,
});

runOracle({
  title: "validateObject(x, 'object', { allowArray: true }) vs vm.isContext(x)",
  ours: (v) => V.validateObject(v, 'object', { allowArray: true }),
  node: (v) => vm.isContext(v as vm.Context),
});

runOracle({
  title: "validateObject(x, 'inspectOptions', kValidateObjectAllowArray) vs util.formatWithOptions(x)",
  ours: (v) => V.validateObject(v, 'inspectOptions', V.kValidateObjectAllowArray),
  node: (v) => util.formatWithOptions(v as util.InspectOptions, 'x'),
});

runOracle({
  title: "validateObject(x, 'source', { allowArray, allowFunction }) vs new ReadableStream(x)",
  ours: (v) => V.validateObject(v, 'source', { allowArray: true, allowFunction: true }),
  node: (v) => new ReadableStream(v as UnderlyingSource),
  passed: (e) => !isCoded(e, 'ERR_INVALID_ARG_TYPE', 'The "source" argument'),
  skip: (v) => v === undefined,
});

runOracle({
  title: "validateObject(x, 'strategy', { allowArray, allowFunction, nullable }) vs new ReadableStream(undefined, x)",
  ours: (v) =>
    V.validateObject(v, 'strategy', { allowArray: true, allowFunction: true, nullable: true }),
  node: (v) => new ReadableStream(undefined, v as QueuingStrategy),
  passed: (e) => !isCoded(e, 'ERR_INVALID_ARG_TYPE', 'The "strategy" argument'),
  skip: (v) => v === undefined,
});

// --- validateArray ----------------------------------------------------------

runOracle({
  title: "validateArray(x, 'args') vs child_process.fork('x', x)",
  ours: (v) => V.validateArray(v, 'args'),
  node: (v) => cp.fork('x', v as string[], { stdio: ['pipe'] }),
  passed: (e) => isCoded(e, 'ERR_CHILD_PROCESS_IPC_REQUIRED'),
  // fork() treats null/undefined and non-array objects as "no args".
  skip: (v) => v == null || (typeof v === 'object' && !Array.isArray(v)),
});

runOracle({
  title: "validateArray(x, 'signals') vs AbortSignal.any(x)",
  ours: (v) => V.validateArray(v, 'signals'),
  node: (v) => AbortSignal.any(v as AbortSignal[]),
  passed: (e) => !isCoded(e, 'ERR_INVALID_ARG_TYPE', 'The "signals" argument'),
  unavailable:
    nodeMajor >= 22 &&
    `Node ${nodeMajor} converts AbortSignal.any()'s argument with WebIDL (sequence<AbortSignal>) ` +
      'since Node 22, not with validateArray: nothing to compare; validateArray is compared ' +
      'through dns.Resolver#setServers and the internal validator',
});

runOracle({
  title: "validateArray(x, 'servers') vs new dns.Resolver().setServers(x)",
  ours: (v) => V.validateArray(v, 'servers'),
  // A resolver of its own: the process-wide DNS servers stay as they are.
  node: (v) => new dns.Resolver().setServers(v as string[]),
  passed: (e) => !isCoded(e, 'ERR_INVALID_ARG_TYPE', 'The "servers" argument'),
});

// --- null-byte checks ------------------------------------------------------------

runOracle({
  title: "validateArgumentNullCheck(x, 'file') vs child_process.spawn(x)",
  ours: (v) => V.validateArgumentNullCheck(v, 'file'),
  node: (v) => cp.spawn(v as string, { cwd: 1 as unknown as string }),
  passed: (e) => !isCoded(e, 'ERR_INVALID_ARG_VALUE', 'without null bytes'),
  skip: (v) => typeof v !== 'string',
});

runOracle({
  title: "validateArgumentNullCheck(x, 'options.execPath') vs child_process.fork('x', { execPath: x })",
  ours: (v) => V.validateArgumentNullCheck(v, 'options.execPath'),
  node: (v) => cp.fork('x', [], { execPath: v as string, stdio: ['pipe'] }),
  passed: (e) => isCoded(e, 'ERR_CHILD_PROCESS_IPC_REQUIRED'),
});

runOracle({
  title: "validateArgumentNullCheck(x, 'options.argv0') vs child_process.spawn('x', { argv0: x })",
  ours: (v) => V.validateArgumentNullCheck(v, 'options.argv0'),
  node: (v) =>
    cp.spawn('x', { argv0: v as string, windowsHide: 'no' as unknown as boolean }),
  passed: (e) => isCoded(e, 'ERR_INVALID_ARG_TYPE', '"options.windowsHide"'),
  skip: (v) => typeof v !== 'string',
});

runOracle({
  title: "validateArgumentNullCheck(x, \"options.env['K']\") vs child_process.spawn('x', { env: { K: x } })",
  ours: (v) => V.validateArgumentNullCheck(v, "options.env['K']"),
  node: (v) => cp.spawn('x', { env: { K: v as string }, stdio: 'bogus' as unknown as 'pipe' }),
  passed: (e) => isCoded(e, 'ERR_INVALID_ARG_VALUE', "'stdio'"),
  skip: (v) => typeof v !== 'string',
});

runOracle({
  title: "validateArgumentsNullCheck(['ok', x], 'args') vs child_process.spawn('x', ['ok', x])",
  ours: (v) => V.validateArgumentsNullCheck(['ok', v], 'args'),
  node: (v) => cp.spawn('x', ['ok', v as string], { cwd: 1 as unknown as string }),
  passed: (e) => isCoded(e, 'ERR_INVALID_ARG_TYPE', '"options.cwd"'),
});

runOracle({
  title: "validateArgumentsNullCheck(['--ok', x], 'options.execArgv') vs fork('x', { execArgv })",
  ours: (v) => V.validateArgumentsNullCheck(['--ok', v], 'options.execArgv'),
  node: (v) => cp.fork('x', [], { execArgv: ['--ok', v as string], stdio: ['pipe'] }),
  passed: (e) => isCoded(e, 'ERR_CHILD_PROCESS_IPC_REQUIRED'),
});

// --- error classes driven directly by Node APIs ---------------------------------------

interface NodeDriven {
  title: string;
  /** Node call; only its errors matching `code` are compared. */
  node: (v: unknown) => unknown;
  code: string;
  ours: (v: unknown) => unknown;
  only?: (v: unknown) => boolean;
}

function runNodeDriven(o: NodeDriven): void {
  t.test(o.title, async (t) => {
    let compared = 0;
    for (const [label, v] of VALUES) {
      if (o.only && !o.only(v)) continue;
      const theirs = grab(() => o.node(v));
      if (!isCoded(theirs, o.code)) continue;
      t.strictSame(fingerprint(o.ours(v)), fingerprint(theirs), `${label}: same error`);
      compared++;
    }
    t.ok(compared > 0, `compared at least one error (${compared})`);
  });
}

runNodeDriven({
  title: "ERR_INVALID_ARG_TYPE('first argument', [... 'Array-like Object']) vs Buffer.from(x)",
  node: (v) => Buffer.from(v as string),
  code: 'ERR_INVALID_ARG_TYPE',
  ours: (v) =>
    new E.ERR_INVALID_ARG_TYPE(
      'first argument',
      ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'],
      v,
    ),
});

runNodeDriven({
  title: "ERR_INVALID_ARG_TYPE('options.shell', ['boolean', 'string']) vs spawn({ shell: x })",
  node: (v) => cp.spawn('x', { shell: v as string, argv0: 1 as unknown as string }),
  code: 'ERR_INVALID_ARG_TYPE',
  ours: (v) => new E.ERR_INVALID_ARG_TYPE('options.shell', ['boolean', 'string'], v),
  only: (v) => v != null && typeof v !== 'boolean' && typeof v !== 'string',
});

// Node 26 checks options.uid with validateInt32 ("of type number", and
// ERR_OUT_OF_RANGE for numbers that are not int32); Node 20-24 with a check of
// its own naming 'int32'. The 'int32' spelling stays compared in ONCE_SPECS.
const uidExpected = nodeMajor >= 26 ? 'number' : 'int32';
runNodeDriven({
  title: `ERR_INVALID_ARG_TYPE('options.uid', '${uidExpected}') vs spawn({ uid: x })`,
  node: (v) => cp.spawn('x', { uid: v as number }),
  code: 'ERR_INVALID_ARG_TYPE',
  ours: (v) => new E.ERR_INVALID_ARG_TYPE('options.uid', uidExpected, v),
  only: (v) => v != null && !(typeof v === 'number' && v === (v | 0)),
});

runNodeDriven({
  title: "ERR_INVALID_ARG_TYPE('options.stdio[0]', ['Buffer', 'TypedArray', 'DataView', 'string']) vs spawnSync({ input: x })",
  node: (v) => cp.spawnSync(NO_SUCH_FILE, { input: v as string }),
  code: 'ERR_INVALID_ARG_TYPE',
  ours: (v) =>
    new E.ERR_INVALID_ARG_TYPE(
      'options.stdio[0]',
      ['Buffer', 'TypedArray', 'DataView', 'string'],
      v,
    ),
  only: (v) => Boolean(v) && typeof v !== 'string' && !ArrayBuffer.isView(v),
});

runNodeDriven({
  title: "ERR_INVALID_ARG_TYPE('options', 'a dictionary') vs new Blob([], x)",
  node: (v) => new Blob([], v as BlobPropertyBag),
  code: 'ERR_INVALID_ARG_TYPE',
  ours: (v) => new E.ERR_INVALID_ARG_TYPE('options', 'a dictionary', v),
});

runNodeDriven({
  title: "ERR_INVALID_ARG_TYPE('channel', ['string', 'symbol']) vs diagnostics_channel.channel(x)",
  node: (v) => diagnosticsChannel.channel(v as string),
  code: 'ERR_INVALID_ARG_TYPE',
  ours: (v) => new E.ERR_INVALID_ARG_TYPE('channel', ['string', 'symbol'], v),
});

runNodeDriven({
  title: "ERR_INVALID_ARG_VALUE('options.highWaterMark', x) vs new stream.Readable({ highWaterMark: x })",
  node: (v) => new stream.Readable({ highWaterMark: v as number }),
  code: 'ERR_INVALID_ARG_VALUE',
  ours: (v) => new E.ERR_INVALID_ARG_VALUE('options.highWaterMark', v),
});

t.test('ERR_MISSING_ARGS vs new URL() / URLSearchParams#append()', async (t) => {
  t.strictSame(
    fingerprint(new E.ERR_MISSING_ARGS('url')),
    fingerprint(grab(() => new (URL as unknown as new () => URL)())),
    'one name',
  );
  t.strictSame(
    fingerprint(new E.ERR_MISSING_ARGS('name', 'value')),
    fingerprint(
      grab(() => (new URLSearchParams() as unknown as { append(): void }).append()),
    ),
    'two names',
  );
});

t.test('child_process errors without a process', async (t) => {
  t.strictSame(
    fingerprint(new E.ERR_CHILD_PROCESS_IPC_REQUIRED('options.stdio')),
    fingerprint(grab(() => cp.fork('x', { stdio: ['pipe'] }))),
    'ERR_CHILD_PROCESS_IPC_REQUIRED',
  );
  t.strictSame(
    fingerprint(new E.ERR_INVALID_ARG_VALUE('file', '', 'cannot be empty')),
    fingerprint(grab(() => cp.spawn(''))),
    "ERR_INVALID_ARG_VALUE 'cannot be empty'",
  );
  t.strictSame(
    fingerprint(new E.ERR_INVALID_ARG_VALUE('stdio', 'bogus')),
    fingerprint(grab(() => cp.spawn('x', { stdio: 'bogus' as 'pipe' }))),
    'ERR_INVALID_ARG_VALUE default reason',
  );
});

t.test('ErrnoException vs errors from spawnSync / spawn / util._errnoException', async (t) => {
  const sync = cp.spawnSync(NO_SUCH_FILE, ['a']).error as Error & Record<string, unknown>;
  const ours = E.errnoException(-2, `spawnSync ${NO_SUCH_FILE}`);
  ours.path = NO_SUCH_FILE;
  ours.spawnargs = ['a'];
  t.strictSame(fingerprint(ours), fingerprint(sync), 'spawnSync ENOENT');
  t.equal(ours.errno, -2);

  const child = cp.spawn(NO_SUCH_FILE, ['b']);
  const [async] = (await once(child, 'error')) as [Error];
  const ours2 = new E.ErrnoException(-2, `spawn ${NO_SUCH_FILE}`);
  ours2.path = NO_SUCH_FILE;
  ours2.spawnargs = ['b'];
  t.strictSame(fingerprint(ours2), fingerprint(async), 'spawn ENOENT');

  const legacy = (util as unknown as Record<string, (e: number, s: string, o?: string) => Error>)
    ._errnoException;
  for (const [errno, syscall, original] of [
    [-32, 'write', undefined],
    [-104, 'read', undefined],
    [-11, 'write', 'extra info'],
    [-4095, 'read', undefined],
  ] as Array<[number, string, string | undefined]>) {
    const theirs = legacy(errno, syscall, original);
    const mine = E.errnoException(errno, syscall, original);
    t.strictSame(fingerprint(mine), fingerprint(theirs), `${syscall} ${errno}`);
  }
  t.equal(E.errnoException(-32, 'write').message, 'write EPIPE');
});

// ---------------------------------------------------------------------------
// 2. IPC errors from a real forked child
// ---------------------------------------------------------------------------

t.test('IPC channel errors vs a real fork()', async (t) => {
  const dir = t.testdir({
    'child.js': "process.on('message', () => {});\n",
  });
  const child = cp.fork(path.join(dir, 'child.js'), [], {
    execArgv: [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await once(child, 'spawn');

  t.strictSame(
    fingerprint(new E.ERR_MISSING_ARGS('message')),
    fingerprint(grab(() => child.send(undefined as unknown as string))),
    "send(undefined): ERR_MISSING_ARGS 'message'",
  );
  for (const [label, v] of VALUES) {
    if (v === undefined || ['string', 'object', 'number', 'boolean'].includes(typeof v)) continue;
    if (typeof v === 'function') continue; // would be taken as the callback
    t.strictSame(
      fingerprint(
        new E.ERR_INVALID_ARG_TYPE('message', ['string', 'object', 'number', 'boolean'], v),
      ),
      fingerprint(grab(() => child.send(v as string))),
      `send(${label}): ERR_INVALID_ARG_TYPE 'message'`,
    );
  }
  t.strictSame(
    fingerprint(new E.ERR_INVALID_HANDLE_TYPE()),
    fingerprint(grab(() => child.send('x', {} as unknown as cp.SendHandle))),
    'send(msg, {}): ERR_INVALID_HANDLE_TYPE',
  );
  t.strictSame(
    fingerprint(new E.ERR_INVALID_ARG_TYPE('options', 'Object', 5)),
    fingerprint(grab(() => child.send('x', undefined, 5 as unknown as cp.MessageOptions))),
    'send(msg, undefined, 5): options must be an object',
  );

  child.disconnect();
  let disconnectError: unknown;
  child.once('error', (e) => {
    disconnectError = e;
  });
  child.disconnect();
  t.strictSame(
    fingerprint(new E.ERR_IPC_DISCONNECTED()),
    fingerprint(disconnectError),
    'second disconnect(): ERR_IPC_DISCONNECTED',
  );

  const closed = await new Promise((resolve) => {
    child.send('late', (err) => resolve(err));
  });
  t.strictSame(
    fingerprint(new E.ERR_IPC_CHANNEL_CLOSED()),
    fingerprint(closed),
    'send() after disconnect: ERR_IPC_CHANNEL_CLOSED',
  );
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
});

// ---------------------------------------------------------------------------
// 3. Node's internal validators and error constructors (--expose-internals)
// ---------------------------------------------------------------------------

// [id, 'call' | 'new', target, JS args expression (may use `v`), compare return?]
type Spec = [string, 'call' | 'new', string, string, boolean?];

const PER_VALUE_SPECS: Spec[] = [
  ['validateObject(v)', 'call', 'validateObject', "[v, 'opts']"],
  ['validateObject(v, nullable)', 'call', 'validateObject', "[v, 'opts', 1]"],
  ['validateObject(v, array)', 'call', 'validateObject', "[v, 'opts', 2]"],
  ['validateObject(v, function)', 'call', 'validateObject', "[v, 'opts', 4]"],
  ['validateObject(v, array+function)', 'call', 'validateObject', "[v, 'opts', 6]"],
  ['validateObject(v, all)', 'call', 'validateObject', "[v, 'options.o', 7]"],
  ['validateArray(v)', 'call', 'validateArray', "[v, 'list']"],
  ['validateArray(v, 2)', 'call', 'validateArray', "[v, 'list', 2]"],
  ['getValidatedPath(v)', 'call', 'getValidatedPath', '[v]'],
  ['getValidatedPath(v, options.cwd)', 'call', 'getValidatedPath', "[v, 'options.cwd']"],
  ['validatePath(v)', 'call', 'validatePath', "[v, 'p']"],
  ['fileURLToPath(v)', 'call', 'fileURLToPath', '[v]', true],
  ['ERR_INVALID_ARG_TYPE(string)', 'new', 'ERR_INVALID_ARG_TYPE', "['name', 'string', v]"],
  [
    'ERR_INVALID_ARG_TYPE(string|Object)',
    'new',
    'ERR_INVALID_ARG_TYPE',
    "['options.prop', ['string', 'Object'], v]",
  ],
  [
    'ERR_INVALID_ARG_TYPE(Buffer|Object, first argument)',
    'new',
    'ERR_INVALID_ARG_TYPE',
    "['first argument', ['Buffer', 'Object'], v]",
  ],
  ['ERR_INVALID_ARG_VALUE', 'new', 'ERR_INVALID_ARG_VALUE', "['name', v]"],
  [
    'ERR_INVALID_ARG_VALUE(reason)',
    'new',
    'ERR_INVALID_ARG_VALUE',
    "['options.name', v, 'must be nice']",
  ],
  ['ERR_CHILD_PROCESS_IPC_REQUIRED', 'new', 'ERR_CHILD_PROCESS_IPC_REQUIRED', '[v]'],
  // Node 22 added the offending URL as a second argument (kept as `err.input`).
  ['ERR_INVALID_FILE_URL_PATH', 'new', 'ERR_INVALID_FILE_URL_PATH', nodeMajor >= 22 ? '[v, v]' : '[v]'],
  ['ERR_INVALID_FILE_URL_HOST', 'new', 'ERR_INVALID_FILE_URL_HOST', '[v]'],
];

const EXPECTED_LISTS = [
  "'string'",
  "'int32'",
  "'String'",
  "'object'",
  "'Object'",
  "'Function'",
  "'function'",
  "'undefined'",
  "'a dictionary'",
  "'AbortSignal'",
  "['string', 'number']",
  "['string', 'number', 'boolean']",
  "['string', 'number', 'boolean', 'bigint', 'symbol']",
  "['Object', 'Buffer']",
  "['object', 'Buffer', 'Uint8Array']",
  "['string', 'Buffer', 'URL']",
  "['integer', 'object']",
  "['Array-like Object']",
  "['a b', 'c d']",
  "['a b', 'c d', 'e f']",
  "['string', 'Buffer', 'a thing']",
  "['Buffer', 'a thing']",
  "['Buffer', 'TypedArray', 'DataView', 'Object', 'string', 'Function']",
  '"(\'a\'|\'b\')"',
];

const ONCE_SPECS: Spec[] = [
  ['ERR_MISSING_ARGS(a)', 'new', 'ERR_MISSING_ARGS', "['a']"],
  ['ERR_MISSING_ARGS(a, b)', 'new', 'ERR_MISSING_ARGS', "['a', 'b']"],
  ['ERR_MISSING_ARGS(a, b, c)', 'new', 'ERR_MISSING_ARGS', "['a', 'b', 'c']"],
  ['ERR_MISSING_ARGS(a, b, c, d)', 'new', 'ERR_MISSING_ARGS', "['a', 'b', 'c', 'd']"],
  ['ERR_MISSING_ARGS([a, b])', 'new', 'ERR_MISSING_ARGS', "[['a', 'b']]"],
  ['ERR_MISSING_ARGS([a, b], c)', 'new', 'ERR_MISSING_ARGS', "[['a', 'b'], 'c']"],
  ['ERR_MISSING_ARGS(a, [b, c], d)', 'new', 'ERR_MISSING_ARGS', "['a', ['b', 'c'], 'd']"],
  ['ERR_INVALID_URL_SCHEME(file)', 'new', 'ERR_INVALID_URL_SCHEME', "['file']"],
  ['ERR_INVALID_URL_SCHEME([file])', 'new', 'ERR_INVALID_URL_SCHEME', "[['file']]"],
  ['ERR_INVALID_URL_SCHEME([http, https])', 'new', 'ERR_INVALID_URL_SCHEME', "[['http', 'https']]"],
  ['ERR_IPC_CHANNEL_CLOSED', 'new', 'ERR_IPC_CHANNEL_CLOSED', '[]'],
  ['ERR_IPC_DISCONNECTED', 'new', 'ERR_IPC_DISCONNECTED', '[]'],
  ['ERR_INVALID_HANDLE_TYPE', 'new', 'ERR_INVALID_HANDLE_TYPE', '[]'],
  ['ErrnoException(EPIPE)', 'new', 'ErrnoException', "[-32, 'write']"],
  ['ErrnoException(ENOENT)', 'new', 'ErrnoException', "[-2, 'spawn x']"],
  ['ErrnoException(original)', 'new', 'ErrnoException', "[-11, 'write', 'extra']"],
  ['ErrnoException(EOF)', 'new', 'ErrnoException', "[-4095, 'read']"],
  ['ErrnoException(unknown)', 'new', 'ErrnoException', "[-99999, 'x']"],
  ['ErrnoException(positive)', 'new', 'ErrnoException', "[32, 'x']"],
  ['ERR_INVALID_ARG_TYPE(x.y argument)', 'new', 'ERR_INVALID_ARG_TYPE', "['x.y argument', 'string', 1]"],
  ...EXPECTED_LISTS.flatMap((list): Spec[] => [
    [`ERR_INVALID_ARG_TYPE(${list})`, 'new', 'ERR_INVALID_ARG_TYPE', `['arg', ${list}, 1]`],
    [
      `ERR_INVALID_ARG_TYPE(options.p, ${list})`,
      'new',
      'ERR_INVALID_ARG_TYPE',
      `['options.p', ${list}, null]`,
    ],
  ]),
];

const CHILD_SCRIPT = `'use strict';
const { inspect } = require('util');
const errors = require('internal/errors');
const validators = require('internal/validators');
const fsUtils = require('internal/fs/utils');
const internalUrl = require('internal/url');
const fingerprint = (${FINGERPRINT_SRC})(inspect);
const targets = {
  ...validators,
  getValidatedPath: fsUtils.getValidatedPath,
  validatePath: fsUtils.validatePath,
  fileURLToPath: internalUrl.fileURLToPath,
};
const classes = {
  ...errors.codes,
  ErrnoException: errors.ErrnoException,
};
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const values = input.values.map(([label, src]) => [label, (0, eval)('(' + src + ')')]);
function run([id, kind, target, argsSrc, compareReturn], v) {
  const args = new Function('v', 'return ' + argsSrc)(v);
  // Node leaves Error.stackTraceLimit at 0 when building a message throws.
  const limit = Error.stackTraceLimit;
  try {
    if (kind === 'new') return { made: fingerprint(new classes[target](...args)) };
    const ret = targets[target](...args);
    return compareReturn ? { ok: true, ret } : { ok: true };
  } catch (e) {
    return { threw: fingerprint(e) };
  } finally {
    Error.stackTraceLimit = limit;
  }
}
const out = { perValue: {}, once: {} };
for (const spec of input.perValue) {
  const row = (out.perValue[spec[0]] = {});
  for (const [label, v] of values) row[label] = run(spec, v);
}
for (const spec of input.once) out.once[spec[0]] = run(spec, undefined);
process.stdout.write(JSON.stringify(out));
`;

const OUR_TARGETS: Record<string, (...args: unknown[]) => unknown> = {
  validateObject: V.validateObject as (...args: unknown[]) => unknown,
  validateArray: V.validateArray as (...args: unknown[]) => unknown,
  getValidatedPath: V.getValidatedPath as (...args: unknown[]) => unknown,
  validatePath: V.validatePath as (...args: unknown[]) => unknown,
  fileURLToPath: V.fileURLToPath as (...args: unknown[]) => unknown,
};

const OUR_CLASSES: Record<string, new (...args: unknown[]) => unknown> = {
  ...(Object.fromEntries(
    [
      E.ERR_CHILD_PROCESS_IPC_REQUIRED,
      E.ERR_INVALID_ARG_TYPE,
      E.ERR_INVALID_ARG_VALUE,
      E.ERR_INVALID_FILE_URL_HOST,
      E.ERR_INVALID_FILE_URL_PATH,
      E.ERR_INVALID_HANDLE_TYPE,
      E.ERR_INVALID_URL_SCHEME,
      E.ERR_IPC_CHANNEL_CLOSED,
      E.ERR_IPC_DISCONNECTED,
      E.ERR_MISSING_ARGS,
    ].map((C) => [C.code, C]),
  ) as unknown as Record<string, new (...args: unknown[]) => unknown>),
  ErrnoException: E.ErrnoException as unknown as new (...args: unknown[]) => unknown,
};

function runOurs(spec: Spec, v: unknown): Record<string, unknown> {
  const [, kind, target, argsSrc, compareReturn] = spec;
  const args = new Function('v', `return ${argsSrc}`)(v) as unknown[];
  try {
    if (kind === 'new') return { made: fingerprint(new OUR_CLASSES[target](...args)) };
    const ret = OUR_TARGETS[target](...args);
    return compareReturn ? { ok: true, ret } : { ok: true };
  } catch (e) {
    return { threw: fingerprint(e) };
  }
}

t.test("Node's internal validators and error classes (--expose-internals)", async (t) => {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const res = cp.spawnSync(process.execPath, ['--expose-internals', '-e', CHILD_SCRIPT], {
    input: JSON.stringify({ values: VALUE_SOURCES, perValue: PER_VALUE_SPECS, once: ONCE_SPECS }),
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (res.status !== 0) {
    t.fail('node --expose-internals oracle failed', { stderr: res.stderr, error: res.error });
    return;
  }
  const node = JSON.parse(res.stdout) as {
    perValue: Record<string, Record<string, unknown>>;
    once: Record<string, unknown>;
  };

  for (const spec of PER_VALUE_SPECS) {
    t.test(spec[0], async (t) => {
      for (const [label, v] of VALUES) {
        // JSON round trip so both sides compare the same way.
        const mine = JSON.parse(JSON.stringify(runOurs(spec, v))) as unknown;
        t.strictSame(mine, node.perValue[spec[0]][label], label);
      }
    });
  }
  t.test('value-independent cases', async (t) => {
    for (const spec of ONCE_SPECS) {
      const mine = JSON.parse(JSON.stringify(runOurs(spec, undefined))) as unknown;
      t.strictSame(mine, node.once[spec[0]], spec[0]);
    }
  });
});

// ---------------------------------------------------------------------------
// 4. Literal messages and object shape
// ---------------------------------------------------------------------------

t.test('literal messages', async (t) => {
  const msg = (e: unknown): string => (e as Error).message;
  t.equal(
    msg(new E.ERR_INVALID_ARG_TYPE('x', 'string', 1)),
    'The "x" argument must be of type string. Received type number (1)',
  );
  t.equal(
    msg(new E.ERR_INVALID_ARG_TYPE('options.x', ['string', 'number'], null)),
    'The "options.x" property must be one of type string or number. Received null',
  );
  t.equal(
    msg(new E.ERR_INVALID_ARG_TYPE('x', ['Object', 'Buffer'], [() => {}][0])),
    'The "x" argument must be an instance of Buffer or Object. Received function ',
  );
  t.equal(
    msg(new E.ERR_INVALID_ARG_TYPE('x', 'string', 'a'.repeat(40))),
    "The \"x\" argument must be of type string. Received type string ('aaaaaaaaaaaaaaaaaaaaaaaaa...')",
  );
  t.equal(
    msg(new E.ERR_INVALID_ARG_VALUE('options.x', 1)),
    "The property 'options.x' is invalid. Received 1",
  );
  t.equal(msg(new E.ERR_MISSING_ARGS('a')), 'The "a" argument must be specified');
  t.equal(msg(new E.ERR_MISSING_ARGS('a', 'b')), 'The "a" and "b" arguments must be specified');
  t.equal(
    msg(new E.ERR_MISSING_ARGS('a', 'b', 'c')),
    'The "a", "b", and "c" arguments must be specified',
  );
  t.equal(
    msg(new E.ERR_MISSING_ARGS(['a', 'b'], 'c')),
    'The "a" or "b" and "c" arguments must be specified',
  );
  t.equal(msg(new E.ERR_INVALID_URL_SCHEME('file')), 'The URL must be of scheme file');
  t.equal(
    msg(new E.ERR_INVALID_URL_SCHEME(['http', 'https'])),
    'The URL must be one of scheme http or https',
  );
  const encodedSlash = new URL('file:///a%2Fb');
  const fileUrlPath =
    nodeMajor >= 22
      ? new E.ERR_INVALID_FILE_URL_PATH('must not include encoded / characters', encodedSlash)
      : new E.ERR_INVALID_FILE_URL_PATH('must not include encoded / characters');
  t.equal(msg(fileUrlPath), 'File URL path must not include encoded / characters');
  t.equal((fileUrlPath as { input?: unknown }).input, nodeMajor >= 22 ? encodedSlash : undefined);
  t.equal(E.formatList(['a', 'b', 'c', 'd'], 'or'), 'a, b, c, or d');
  t.equal(E.formatList([]), '');
});

t.test('error object shape', async (t) => {
  const e = new E.ERR_INVALID_ARG_TYPE('x', 'string', 1);
  t.ok(e instanceof TypeError);
  t.ok(e instanceof E.ERR_INVALID_ARG_TYPE);
  t.equal(e.constructor, TypeError);
  t.equal(e.name, 'TypeError');
  t.equal(e.code, 'ERR_INVALID_ARG_TYPE');
  t.equal(String(e), `TypeError [ERR_INVALID_ARG_TYPE]: ${e.message}`);
  t.ok(String(e.stack).startsWith(`TypeError [ERR_INVALID_ARG_TYPE]: ${e.message}\n    at `));
  t.ok(E.isNodeError(e));
  t.notOk(E.isNodeError(new TypeError('x')));
  t.equal(E.ERR_INVALID_ARG_TYPE.code, 'ERR_INVALID_ARG_TYPE');

  const plain = new E.ERR_IPC_CHANNEL_CLOSED();
  t.equal(plain.constructor, Error);
  t.equal(String(plain), 'Error [ERR_IPC_CHANNEL_CLOSED]: Channel closed');

  // The wrong number of arguments for a template is a bug in the caller.
  const bad = grab(() => new (E.ERR_CHILD_PROCESS_IPC_REQUIRED as unknown as new () => Error)());
  t.equal((bad as Coded).code, 'ERR_INTERNAL_ASSERTION');
});

t.test('validator stacks start at the caller', async (t) => {
  function callsValidator(): void {
    V.validateArray(1, 'x');
  }
  const e = grab(callsValidator) as Error;
  const frames = String(e.stack).split('\n').slice(1);
  t.match(frames[0], /callsValidator/, 'first frame is the caller');
  t.notOk(frames.some((f) => /validators\.ts/.test(f)), 'no validator frames');

  function callsPath(): void {
    V.getValidatedPath(new URL('http://x/'), 'p');
  }
  const e2 = grab(callsPath) as Error;
  t.match(String(e2.stack).split('\n')[1], /callsPath/);
  t.ok(String(e2.stack).startsWith('TypeError [ERR_INVALID_URL_SCHEME]: The URL must be'));
});

t.test('stack header with a user Error.prepareStackTrace, as Node does', async (t) => {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (err: Error) => `CUSTOM ${err.name}: ${err.message}`;
  try {
    const theirs = grab(() => cp.fork(1 as unknown as string)) as Error;
    const ours = grab(() => V.getValidatedPath(1, 'modulePath')) as Error;
    t.equal(ours.stack, theirs.stack);
    t.equal(String(ours), String(theirs));
  } finally {
    Error.prepareStackTrace = saved;
  }
});
