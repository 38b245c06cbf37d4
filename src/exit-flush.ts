// What send() accepted is delivered even when the process exits right after: on 'exit'
// (the loop will not run again) the queues of every open channel are written out
// synchronously, all together. Each channel is waited for while its peer takes bytes or runs
// (a child still starting up, a busy one); it is given up once its peer has done neither for
// DEKA_IPC_EXIT_STALL_MS (default 500 ms: stopped, blocked for good, gone), and all are given
// up at DEKA_IPC_EXIT_FLUSH_MS (default 10 s). Where the peer cannot be watched (no /proc)
// only bytes taken count, as a plain stall rule.
import { binding, type NativeChannel } from './native';
import { msFromEnv, stallMs } from './peer-watch';

/** Open channels and the pid of the process at their other end. */
const open = new Map<NativeChannel, () => number | undefined>();
let installed = false;

function flushAll(): void {
  const busy = [...open.keys()].filter((channel) => channel.writeQueueSize > 0);
  if (busy.length === 0) return;
  const pids = busy.map((channel) => open.get(channel)?.());
  binding.flushSync(busy, msFromEnv('DEKA_IPC_EXIT_FLUSH_MS', 10_000), stallMs(), pids);
}

export function trackOpen(channel: NativeChannel, peerPid: () => number | undefined): void {
  open.set(channel, peerPid);
  if (!installed) {
    installed = true;
    process.on('exit', flushAll);
  }
}

export function trackClosed(channel: NativeChannel): void {
  open.delete(channel);
}
