'use strict';
// compat/common — the small harness every compat case uses.
// Only Node built-ins that any Node-compatible runtime provides: no worker_threads,
// no internals, nothing that depends on which child_process implementation answers.

const assert = require('assert');
const path = require('path');
const { inspect } = require('util');

const projectRoot = path.resolve(__dirname, '..', '..');
const fixturesDir = path.join(projectRoot, 'compat', 'fixtures');
const fixtures = {
  dir: fixturesDir,
  path: (...parts) => path.join(fixturesDir, ...parts),
};

// Where the caller of a harness function lives, as "file:line", taken from the first
// stack frame outside this file. Works with V8 ("at f (file:1:2)") and JSC ("f@file:1:2").
function callerLocation() {
  const stack = String(new Error().stack || '').split('\n');
  for (const line of stack) {
    const m = /((?:file:\/\/)?\/?[^\s()@]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1].startsWith('file://') ? m[1].slice(7) : m[1];
    if (file === __filename || file.startsWith(path.join(__dirname, path.sep))) continue;
    return `${file}:${m[2]}`;
  }
  return '<unknown location>';
}

// Every counted wrapper is recorded here and checked once, when the process exits.
const checks = [];
let skipping = false;

process.on('exit', () => {
  if (skipping) return;
  const misses = checks.filter((c) =>
    (c.mode === 'exact' ? c.actual !== c.expected : c.actual < c.expected));
  for (const c of misses) {
    const want = c.mode === 'exact' ? `exactly ${c.expected}` : `at least ${c.expected}`;
    console.error(`Mismatched ${c.name} function calls. Expected ${want}, actual ${c.actual}.\n` +
                  `    created at ${c.location}`);
  }
  if (misses.length > 0) process.exitCode = 1;
});

function noop() {}

function counted(fn, expected, mode) {
  if (typeof fn === 'number') { expected = fn; fn = noop; }
  if (fn === undefined) fn = noop;
  if (typeof fn !== 'function') throw new TypeError('expected a function');
  const check = {
    name: fn === noop ? '(empty)' : fn.name || '<anonymous>',
    expected,
    mode,
    actual: 0,
    location: callerLocation(),
  };
  checks.push(check);
  const wrapper = function(...args) {
    check.actual++;
    return fn.apply(this, args);
  };
  // Keep the arity: some APIs look at fn.length to decide how to call a callback.
  Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true });
  return wrapper;
}

function mustCall(fn, exact = 1) {
  return counted(fn, typeof fn === 'number' ? fn : exact, 'exact');
}

function mustCallAtLeast(fn, min = 1) {
  return counted(fn, typeof fn === 'number' ? fn : min, 'minimum');
}

function mustNotCall(msg = 'function should not have been called') {
  const location = callerLocation();
  return function mustNotCall(...args) {
    // Mark the failure first: the throw may land in code that swallows it.
    process.exitCode = 1;
    const shown = args.map((a) => inspect(a, { depth: 2 })).join(', ');
    throw new assert.AssertionError({
      message: `${msg} (mustNotCall created at ${location}, called with ${shown || 'no arguments'})`,
    });
  };
}

// A node-style callback that must be called `exact` times, each time without an error.
function mustSucceed(fn, exact = 1) {
  if (typeof fn === 'number') { exact = fn; fn = undefined; }
  return counted(function mustSucceed(err, ...args) {
    assert.ifError(err);
    if (typeof fn === 'function') return fn.apply(this, args);
  }, exact, 'exact');
}

// Assert that `error` has every property listed in `expected`. A RegExp matches a string
// property; anything else must be deep-strictly equal. `type` (a constructor) is checked
// with instanceof. Returns true, so it can be used as an assert.throws() validator.
function matchError(error, expected) {
  assert.ok(error !== null && typeof error === 'object',
            `expected an error object, got ${typeof error}: ${String(error)}`);
  for (const key of Object.keys(expected)) {
    const want = expected[key];
    if (key === 'type') {
      assert.ok(error instanceof want, `expected an instance of ${want.name}, got ${error.constructor && error.constructor.name}`);
    } else if (want instanceof RegExp && typeof error[key] === 'string') {
      assert.match(error[key], want, `error.${key} ${inspect(error[key])} does not match ${want}`);
    } else {
      assert.deepStrictEqual(error[key], want,
                             `error.${key}: expected ${inspect(want)}, got ${inspect(error[key])}`);
    }
  }
  return true;
}

// A plain matcher (no call count), for assert.throws(fn, errorMatcher({...})).
function errorMatcher(expected) {
  return (error) => matchError(error, expected);
}

// A counted matcher: for 'error' events and callbacks that must receive this error.
function expectsError(validation, exact = 1) {
  return counted(function expectsError(error) {
    return matchError(error, validation);
  }, exact, 'exact');
}

// Whether a process of that pid still exists (signal 0 delivers nothing).
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function skip(reason) {
  skipping = true;
  process.stdout.write(`1..0 # Skipped: ${reason}\n`);
  process.exit(0);
}

module.exports = {
  mustCall,
  mustCallAtLeast,
  mustNotCall,
  mustSucceed,
  expectsError,
  matchError,
  errorMatcher,
  skip,
  isAlive,
  fixtures,
  fixturesDir,
  projectRoot,
};
