// Handing decoded messages to the target as Node does: internal ones ('NODE_…' commands) as
// 'internalMessage', the others as 'message', each on its own tick; user messages that arrive
// while nobody listens wait for the first listener.
import { kPendingMessages } from './control';
import type { IpcTarget } from './target';

const INTERNAL_PREFIX = 'NODE_';

export function isInternal(message: unknown): boolean {
  if (message === null || typeof message !== 'object') return false;
  const cmd = (message as { cmd?: unknown }).cmd;
  return typeof cmd === 'string' && cmd.length > INTERNAL_PREFIX.length && cmd.startsWith(INTERNAL_PREFIX);
}

/** Emits one message (with the handle it brought) on a later tick. */
export type EmitMessage = (message: unknown, handle: unknown, internal: boolean) => void;

export function setupDelivery(target: IpcTarget): EmitMessage {
  // Messages that arrived before anyone listened are delivered to the first listener.
  target.on('newListener', () => {
    process.nextTick(() => {
      if (!target.channel || !target.listenerCount('message')) return;
      const pending = target.channel[kPendingMessages];
      if (pending.length === 0) return;
      target.channel[kPendingMessages] = [];
      for (const args of pending) target.emit(...args);
    });
  });

  function emitMessage(event: string, message: unknown, handle: unknown): void {
    if (event === 'internalMessage' || target.listenerCount('message') > 0) {
      target.emit(event, message, handle);
    } else if (target.channel) {
      target.channel[kPendingMessages].push([event, message, handle]);
    }
  }

  return function handleMessage(message, handle, internal) {
    if (!target.channel) return;
    // Each message on its own tick: a throwing listener cannot swallow the ones after it.
    process.nextTick(emitMessage, internal ? 'internalMessage' : 'message', message, handle);
  };
}
