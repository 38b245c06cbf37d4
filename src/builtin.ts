// The runtime's own child_process functions, captured before register.ts replaces them,
// and shared by every copy of deka-ipc loaded in the process.
// A namespace import: the shipped builtin.d.ts then compiles without esModuleInterop.
import * as childProcess from 'child_process';

export interface Builtin {
  spawn: typeof childProcess.spawn;
  fork: typeof childProcess.fork;
}

const key = Symbol.for('deka-ipc.builtin');
const store = globalThis as unknown as { [key]: Builtin | undefined };

export const builtin: Builtin = (store[key] ??= { spawn: childProcess.spawn, fork: childProcess.fork });
