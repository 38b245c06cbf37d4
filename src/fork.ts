// child_process.fork on deka-ipc: Node's argument handling, then our spawn.
import type { ChildProcess } from 'child_process';
import { spawn } from './spawn';
import { ERR_CHILD_PROCESS_IPC_REQUIRED, ERR_INVALID_ARG_VALUE } from './errors';
import {
  getValidatedPath,
  validateArgumentNullCheck,
  validateArgumentsNullCheck,
  validateArray,
  validateObject,
} from './validators';

type ForkOptions = { [key: string]: unknown };

function stdioWithIpc(stdio: string): unknown[] {
  switch (stdio) {
    case 'ignore':
    case 'overlapped':
    case 'pipe':
      return [stdio, stdio, stdio, 'ipc'];
    case 'inherit':
      return [0, 1, 2, 'ipc'];
    default:
      throw new ERR_INVALID_ARG_VALUE('stdio', stdio);
  }
}

/** The parent's execArgv without `-e <script>`: a fork from an eval must not re-run it. */
function inheritedExecArgv(): string[] {
  const evalSource = (process as { _eval?: string })._eval;
  if (evalSource == null) return process.execArgv;
  const index = process.execArgv.lastIndexOf(evalSource);
  if (index <= 0) return process.execArgv;
  const execArgv = process.execArgv.slice();
  execArgv.splice(index - 1, 2);
  return execArgv;
}

function fork(modulePath: unknown, args?: unknown, options?: unknown): ChildProcess {
  const path = getValidatedPath(modulePath, 'modulePath');
  if (args == null) {
    args = [];
  } else if (typeof args === 'object' && !Array.isArray(args)) {
    options = args;
    args = [];
  } else {
    validateArray(args, 'args');
  }
  if (options != null) validateObject(options, 'options');

  // Own properties only: nothing on Object.prototype may steer the fork.
  const opts: ForkOptions = Object.assign(Object.create(null), options, { shell: false });
  opts.execPath = opts.execPath || process.execPath;
  validateArgumentNullCheck(opts.execPath, 'options.execPath');
  const execArgv = (opts.execArgv as string[] | undefined) || inheritedExecArgv();
  validateArgumentsNullCheck(execArgv, 'options.execArgv');

  if (typeof opts.stdio === 'string') {
    opts.stdio = stdioWithIpc(opts.stdio);
  } else if (!Array.isArray(opts.stdio)) {
    opts.stdio = stdioWithIpc(opts.silent ? 'pipe' : 'inherit');
  } else if (!opts.stdio.includes('ipc')) {
    throw new ERR_CHILD_PROCESS_IPC_REQUIRED('options.stdio');
  }

  return spawn(opts.execPath as string, [...execArgv, path, ...(args as string[])], opts);
}

// Exported with Node's own overloads (the arguments are checked at run time as Node checks them).
const typedFork = fork as typeof import('child_process').fork;
export { typedFork as fork };
