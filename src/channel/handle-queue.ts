// Handles on the channel, Node's protocol: a handle travels as {cmd:'NODE_HANDLE'} with its
// descriptor; the receiver answers NODE_HANDLE_ACK (NODE_HANDLE_NACK when no descriptor
// came, and the sender retransmits), and every later send waits in target._handleQueue
// until that answer.
import { binding } from '../native';
import { adoptHandle, descriptorOf, detachSent, releaseSent, type HandleFrame } from '../handles';
import { SocketLists } from '../socket-list';
import { handleMismatch } from '../handle-check';
import { kBadHandle } from '../deka-errors';
import { isInternal, type EmitMessage } from './messages';
import type { IpcTarget, QueuedSend, Send } from './target';

/** How often a handle the receiver did not get is sent again (Node's limit). */
const kMaxHandleRetransmissions = 3;

export interface HandleQueue {
  /** Whether this send must wait behind a handle in flight (ACK/NACK never wait). */
  busy(message: unknown, frame: HandleFrame | null): boolean;
  /** Queues a send behind the handle in flight; send()'s answer. */
  hold(item: QueuedSend): boolean;
  /** The descriptor to send with `frame` (-1: nothing to pass, the message goes alone). */
  descriptor(frame: HandleFrame, handle: unknown): number;
  /** `frame` was written with its descriptor: later sends wait for the receiver's answer. */
  sent(frame: HandleFrame, item: QueuedSend, retransmissions: number): void;
  /** The channel ends: a socket still waiting for its ACK never gets one, close our copy. */
  releasePending(): void;
}

export function setupHandleQueue(
  target: IpcTarget,
  send: Send,
  disconnectNow: () => void,
  emit: EmitMessage,
): HandleQueue {
  target._handleQueue = null;
  // Servers' sockets sent or received on this channel (getConnections()/close() across processes).
  const socketLists = new SocketLists(target);
  // A socket sent without keepOpen waits here for the receiver's ACK before it is closed.
  let pendingSent: (QueuedSend & { retransmissions: number }) | null = null;

  function releasePending(): void {
    if (pendingSent) {
      releaseSent(pendingSent.handle);
      pendingSent = null;
    }
  }

  target.on('internalMessage', (message: HandleFrame | { cmd: string }, handle: unknown) => {
    if (message.cmd === 'NODE_HANDLE_ACK' || message.cmd === 'NODE_HANDLE_NACK') {
      const queue = target._handleQueue as QueuedSend[] | null;
      if (!queue) return;
      target._handleQueue = null;
      const resend = pendingSent;
      pendingSent = null;
      if (resend && (message.cmd === 'NODE_HANDLE_ACK' || resend.retransmissions >= kMaxHandleRetransmissions)) {
        releaseSent(resend.handle);
        if (message.cmd === 'NODE_HANDLE_NACK') {
          process.emitWarning('Handle did not reach the receiving process correctly', 'SentHandleNotReceivedWarning');
        }
      } else if (resend) {
        // The descriptor got lost on the way (MSG_CTRUNC on the receiver): send it again.
        send(resend.message, resend.handle, resend.options, resend.callback, resend.retransmissions + 1);
      }
      for (const item of queue) send(item.message, item.handle, item.options, item.callback);
      if (!target.connected && target.channel && !target._handleQueue) disconnectNow();
      return;
    }
    if (message.cmd !== 'NODE_HANDLE') return;
    // No descriptor arrived with the frame: say so, and the sender retransmits.
    if (typeof handle !== 'number') {
      send({ cmd: 'NODE_HANDLE_NACK' }, null, { swallowErrors: true });
      return;
    }
    // Acknowledging is not the user's send: a failure to do so must not raise 'error'.
    // A refused handle is acknowledged too: it arrived, and sending it again would not help.
    send({ cmd: 'NODE_HANDLE_ACK' }, null, { swallowErrors: true });
    const frame = message as HandleFrame;
    const mismatch = handleMismatch(frame, handle);
    if (mismatch !== null) {
      refuseHandle(frame, handle, mismatch);
      return;
    }
    try {
      adoptHandle(frame, handle, socketLists, (object) => emit(frame.msg, object, isInternal(frame.msg)));
    } catch (err) {
      refuseHandle(frame, handle, (err as Error).message);
    }
  });

  // A handle the peer sent that cannot be what it claims: its descriptor is closed, the
  // message that came with it dropped, and the process told once per frame; the channel
  // goes on.
  function refuseHandle(frame: HandleFrame, fd: number, why: string): void {
    binding.closeFd(fd);
    process.emitWarning(`IPC peer sent a ${String(frame.type)} handle that was refused: ${why}`, {
      type: 'DekaIpcWarning',
      code: kBadHandle,
    });
  }

  return {
    busy(message, frame) {
      if (!target._handleQueue) return false;
      if (frame) return true;
      const cmd = message !== null && typeof message === 'object' ? (message as { cmd?: unknown }).cmd : undefined;
      return cmd !== 'NODE_HANDLE_ACK' && cmd !== 'NODE_HANDLE_NACK';
    },
    hold(item) {
      // One handle in flight at a time: what comes next waits for its answer, in order.
      const queue = target._handleQueue as QueuedSend[];
      queue.push(item);
      return queue.length === 1;
    },
    descriptor: (frame, handle) => descriptorOf(frame, handle, socketLists),
    sent(frame, item, retransmissions) {
      target._handleQueue = [];
      const keepOpen = Boolean(item.options.keepOpen);
      detachSent(frame, item.handle, keepOpen);
      // The sender's copy goes once the receiver has it: a socket's, or the wrap a BoundSocket gave up.
      if ((frame.type === 'net.Socket' || frame.type === 'net.BoundSocket') && !keepOpen) pendingSent = { ...item, retransmissions };
    },
    releasePending,
  };
}
