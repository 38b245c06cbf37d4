// The exit rule (src-native/peer-activity.h) for a disconnect that waits on the loop for its
// queue: the wait goes on while the peer takes bytes or runs, and is given up once it has
// done neither for DEKA_IPC_EXIT_STALL_MS (a stopped peer, one blocked for good), so a
// process that disconnects from such a peer still exits. Without /proc only taken bytes count.
import { binding } from './native';

/** How often a quiet peer is looked at (/proc counts CPU time in 10 ms ticks). */
const kLookMs = 50;

export function msFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && process.env[name] !== '' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** DEKA_IPC_EXIT_STALL_MS: how long a peer may neither take bytes nor run (default 500 ms). */
export function stallMs(): number {
  return msFromEnv('DEKA_IPC_EXIT_STALL_MS', 500);
}

/**
 * Calls `giveUp` once `queued()` has not shrunk and the peer has not run for stallMs; stops
 * by itself once the queue is empty. Returns the function that stops it.
 */
export function watchDrain(peerPid: number | undefined, queued: () => number, giveUp: () => void): () => void {
  const stall = stallMs();
  let lastQueued = queued();
  let lastProgress = Date.now();
  let lastTicks = -1;
  const timer = setInterval(() => {
    const now = Date.now();
    const bytes = queued();
    if (bytes === 0) return stop();
    let alive = bytes !== lastQueued;
    lastQueued = bytes;
    const sample = typeof peerPid === 'number' ? binding.samplePeer(peerPid) : undefined;
    if (!alive && sample && !sample.gone && !sample.stopped) {
      alive = sample.runnable || (lastTicks >= 0 && sample.cpuTicks > lastTicks);
    }
    if (sample) lastTicks = sample.cpuTicks;
    if (alive) lastProgress = now;
    else if (now - lastProgress >= stall) {
      stop();
      giveUp();
    }
  }, kLookMs);
  // The queue's own reference keeps the process alive while it waits, not this timer.
  timer.unref();
  function stop(): void {
    clearInterval(timer);
  }
  return stop;
}
