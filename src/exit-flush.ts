// What send() accepted is delivered even when the process exits right after: on 'exit'
// (the loop will not run again) every open channel writes its queue out synchronously.
import type { NativeChannel } from './native';

const open = new Set<NativeChannel>();
let installed = false;

/** Upper bound on the wait at exit, so a peer that stopped reading cannot hang us. */
function flushTimeoutMs(): number {
  const fromEnv = Number(process.env.DEKA_IPC_EXIT_FLUSH_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : 10_000;
}

function flushAll(): void {
  const timeout = flushTimeoutMs();
  for (const channel of open) {
    if (channel.writeQueueSize > 0) channel.flushSync(timeout);
  }
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
