// What send() accepted is delivered even when the process exits right after: on 'exit'
// (the loop will not run again) the queues of every open channel are written out
// synchronously, all together. The wait lasts while peers take bytes: it ends once none has
// taken any for DEKA_IPC_EXIT_STALL_MS (default 500 ms), and at DEKA_IPC_EXIT_FLUSH_MS
// (default 10 s) in all, so peers that stopped reading cannot hold the exit.
import { binding, type NativeChannel } from './native';

const open = new Set<NativeChannel>();
let installed = false;

function msFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && process.env[name] !== '' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function flushAll(): void {
  const busy = [...open].filter((channel) => channel.writeQueueSize > 0);
  if (busy.length === 0) return;
  binding.flushSync(busy, msFromEnv('DEKA_IPC_EXIT_FLUSH_MS', 10_000), msFromEnv('DEKA_IPC_EXIT_STALL_MS', 500));
}

export function trackOpen(channel: NativeChannel): void {
  open.add(channel);
  if (!installed) {
    installed = true;
    process.on('exit', flushAll);
  }
}

export function trackClosed(channel: NativeChannel): void {
  open.delete(channel);
}
