'use strict';
// Running a command for the matrix: its output (stdout and stderr together) into a log file,
// echoed or read line by line as it comes.

const fs = require('node:fs');
const { spawn } = require('node:child_process');

/** Runs a command, its output (stdout and stderr together) into logFile and, if echo, to ours. */
function run(cmd, args, { cwd, env, logFile, echo = false, onLine }) {
  return new Promise((resolve) => {
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    log.write(`$ ${[cmd, ...args].join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let partial = '';
    const onData = (chunk) => {
      const s = chunk.toString('utf8');
      output += s;
      log.write(chunk);
      if (echo) process.stdout.write(chunk);
      if (onLine) {
        const parts = (partial + s).split('\n');
        partial = parts.pop();
        for (const line of parts) onLine(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const finish = (code, signal, error) => log.end(() => resolve({ code, signal, error, output }));
    child.on('error', (err) => finish(null, null, err));
    child.on('close', (code, signal) => finish(code, signal, null));
  });
}

module.exports = { run };
