// The shapes the channel's modules share: what setupChannel installs on its target, the
// caller's options, and one send() as the handle queue keeps it.
import type { Callback } from '../frame-writer';
import type { Control } from './control';

/** The members setupChannel installs on its target. */
export interface IpcTarget {
  emit(event: string | symbol, ...args: unknown[]): boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  listenerCount(event: string): number;
  channel?: Control | null;
  connected?: boolean;
  send?: (...args: unknown[]) => boolean;
  disconnect?: () => void;
  [key: string]: unknown;
}

export interface ChannelHooks {
  /** Called once, when the socket is closed for good (ChildProcess 'close' accounting). */
  onClose?: () => void;
  /** Start unref'd: the child side, where listeners decide whether the channel keeps it alive. */
  startUnref?: boolean;
  /**
   * The shared-memory transport (src-native/ring-transport.h): the child of a deka-ipc parent
   * offers it with its first frame, and that parent accepts it.
   */
  shm?: 'offer' | 'accept';
  /** The process at the other end (the child's pid, the parent's): its liveness bounds the waits for our queue. */
  peerPid?: () => number | undefined;
}

export type SendOptions = { swallowErrors?: boolean; keepOpen?: boolean };
export type QueuedSend = { message: unknown; handle: unknown; options: SendOptions; callback?: Callback };

/** The channel's internal send (target._send): no argument shuffling, a retransmission count. */
export type Send = (
  message: unknown,
  handle: unknown,
  options: SendOptions | boolean | undefined,
  callback?: Callback,
  retransmissions?: number,
) => boolean;
