// deka-ipc: Node's child_process IPC on a channel of its own.
export { fork } from './fork';
export { spawn } from './spawn';
export { installChildChannel } from './child';
export { ChildProcess } from 'child_process';
