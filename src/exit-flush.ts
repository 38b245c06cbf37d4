// What send() accepted is delivered even when the process exits right after: on 'exit'
// (the loop will not run again) every open channel writes its queue out synchronously.
/** Anything holding bytes that must leave before the process does. */
export interface ExitFlushable {
  flushSync(timeoutMs: number): void;
}

const open = new Set<ExitFlushable>();
let installed = false;

/** Upper bound on the wait at exit, so a peer that stopped reading cannot hang us. */
function flushTimeoutMs(): number {
  const fromEnv = Number(process.env.DEKA_IPC_EXIT_FLUSH_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : 10_000;
}

function flushAll(): void {
  const timeout = flushTimeoutMs();
  for (const writer of open) writer.flushSync(timeout);
}

export function trackOpen(writer: ExitFlushable): void {
  open.add(writer);
  if (!installed) {
    installed = true;
    process.on('exit', flushAll);
  }
}

export function trackClosed(writer: ExitFlushable): void {
  open.delete(writer);
}
