'use strict';
// The command lines of scripts/ and bin/: options parsed by node:util's parseArgs, one --help
// format generated from the same table the parser reads, one UsageError (exit code 2).
// Only Node built-ins here: every --help works on a fresh clone, before `npm install`.

const { parseArgs } = require('node:util');

/**
 * Bad usage: the CLI prints the message (and its usage, when the command line itself was wrong)
 * and exits 2.
 */
class UsageError extends Error {
  constructor(message, { withUsage = false } = {}) {
    super(message);
    this.withUsage = withUsage;
  }
}
const badCommandLine = (message) => new UsageError(message, { withUsage: true });

/**
 * A command line.
 *   usage:    what follows "Usage: " (e.g. "node scripts/compat.js [options]")
 *   intro:    text between the usage line and the options (optional)
 *   options:  [{ name, short?, type: 'string' | 'boolean', value?: '<n>', multiple?, help }]
 *             (-h, --help is added)
 *   epilogue: text after the options (optional)
 *   positionals: undefined = none allowed; else an array of the words allowed, or true for any
 */
function defineCli(spec) {
  const options = [...spec.options, { name: 'help', short: 'h', type: 'boolean', help: 'this text' }];
  return {
    spec: { ...spec, options },
    help: () => formatHelp({ ...spec, options }),
    parse: (argv) => parseCommandLine(options, argv, spec.positionals),
  };
}

/**
 * -> { values: { name: value | [values] | true }, positionals: [] }. Unknown options, a missing
 * value, a value given to a flag and an unexpected word are UsageErrors.
 */
function parseCommandLine(options, argv, positionals) {
  const byName = new Map(options.map((o) => [o.name, o]));
  const config = {};
  for (const o of options) config[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
  // strict: false so that the messages are ours, and a string option takes the next word even
  // when it starts with "-" (as the hand-written parsers did); the tokens are checked below.
  const { tokens } = parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });
  const values = {};
  const words = [];
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') {
      if (!positionals || (Array.isArray(positionals) && !positionals.includes(t.value))) {
        throw badCommandLine(`unexpected argument ${t.value}`);
      }
      words.push(t.value);
      continue;
    }
    const o = byName.get(t.name);
    if (!o) throw badCommandLine(`unknown option ${argv[t.index]}`);
    if (o.type === 'string') {
      if (t.value === undefined) throw badCommandLine(`${t.rawName} needs a value`);
      if (o.multiple) (values[o.name] ||= []).push(t.value);
      else values[o.name] = t.value;
    } else {
      if (t.inlineValue) throw badCommandLine(`${t.rawName} takes no value`);
      values[o.name] = true;
    }
  }
  return { values, positionals: words };
}

/** The one --help format: "Usage: …", the intro, the options in two columns, the epilogue. */
function formatHelp({ usage, intro, options, epilogue }) {
  const left = (o) => `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` ${o.value}` : ''}`;
  const width = Math.max(...options.map((o) => left(o).length)) + 2;
  const rows = options.map((o) => {
    const [first, ...rest] = String(o.help).split('\n');
    return [`  ${left(o).padEnd(width)} ${first}`, ...rest.map((l) => `  ${''.padEnd(width)} ${l}`)].join('\n');
  });
  return [`Usage: ${usage}`, intro, rows.join('\n'), epilogue].filter(Boolean).join('\n\n');
}

function positiveNumber(s, name) {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw badCommandLine(`${name} wants a positive number, got "${s}"`);
  return n;
}

/**
 * Runs `main(argv)` (sync or async, returning the exit code or undefined) as a CLI named `name`:
 * a UsageError prints "<name>: message" (and the usage when given) and exits 2; anything else
 * thrown prints its stack and exits with `crashCode`.
 */
function runCli(name, main, { usage, crashCode = 1 } = {}) {
  const fail = (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${name}: ${err.message}\n${usage && err.withUsage ? `\n${usage()}\n` : ''}`);
      process.exit(2);
    }
    process.stderr.write(`${name}: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = crashCode;
  };
  try {
    Promise.resolve(main(process.argv.slice(2))).then((code) => {
      if (typeof code === 'number') process.exitCode = code;
    }, fail);
  } catch (err) {
    fail(err);
  }
}

module.exports = { UsageError, badCommandLine, defineCli, formatHelp, parseCommandLine, positiveNumber, runCli };
