#!/usr/bin/env node
'use strict';
// `npx deka-ipc <command>`: the commands that work from the installed package. Thin: each
// command is a script of scripts/.

const HELP = `Usage: deka-ipc <command> [options]

Commands:
  compat    run the compat suite (Node's child_process IPC scenarios) against a runtime:
            deka-ipc (node with this package's preload), node, bun, deno or any command;
            --expect <file> makes it a release gate. See: deka-ipc compat --help

In a clone of the repository only (they build per Node line or need the dev dependencies):
  npm test, npm run matrix, npm run bench, npm run coverage, npm run repro:next

  -h, --help  this text`;

const [command, ...rest] = process.argv.slice(2);
if (command === 'compat') {
  require('../scripts/compat').run(rest, 'deka-ipc compat');
} else if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
  process.stdout.write(`${HELP}\n`);
} else {
  process.stderr.write(`deka-ipc: unknown command ${command}\n\n${HELP}\n`);
  process.exitCode = 2;
}
