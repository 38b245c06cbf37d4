// The end of the channel. `connected` turns false as soon as disconnect() is asked for;
// `channel` turns null once the disconnect is under way (after the handle in flight is
// answered); the socket closes once what was sent has been written. The peer's EOF (or a
// failed socket) ends it from the other side.
import type { NativeChannel } from '../native';
import type { FrameWriter } from '../frame-writer';
import { trackClosed } from '../exit-flush';
import { watchDrain } from '../peer-watch';
import { ERR_IPC_DISCONNECTED } from '../errors';
import type { ChannelHooks, IpcTarget } from './target';

export interface Disconnect {
  /** Starts the disconnect now (no handle in flight). */
  disconnectNow(): void;
  /** The peer closed its end, or the channel cannot go on: it is over. */
  end(): void;
}

export function setupDisconnect(
  target: IpcTarget,
  native: NativeChannel,
  writer: FrameWriter,
  hooks: ChannelHooks,
  /** Closes what the other modules still hold: the handle awaiting its ACK, a received descriptor. */
  release: { releasePending(): void; closeFd(): void },
): Disconnect {
  let closed = false;

  function closeNow(): void {
    if (closed) return;
    closed = true;
    writer.closed(native.close());
    trackClosed(native);
    release.closeFd();
    hooks.onClose?.();
  }

  function end(): void {
    if (writer.onDrained) {
      // A disconnect was waiting for our writes; they cannot go anywhere now.
      writer.onDrained();
    } else if (target.connected) {
      (target.disconnect as () => void)();
    } else if (target.channel) {
      (target._disconnect as () => void)();
    }
    // A socket still waiting for its ACK (the handle queue held the disconnect back) never
    // gets one now.
    release.releasePending();
    closeNow();
    target.channel = null;
  }

  target.connected = true;

  target.disconnect = function disconnect() {
    if (!target.connected) {
      target.emit('error', new ERR_IPC_DISCONNECTED());
      return;
    }
    target.connected = false;
    if (!target._handleQueue) disconnectNow();
  };

  function disconnectNow(): void {
    target.channel = null;
    release.releasePending();
    let fired = false;
    const finish = () => {
      if (fired) return;
      fired = true;
      writer.onDrained = null;
      closeNow();
      target.emit('disconnect');
    };
    process.nextTick(() => {
      // Beyond Node: a disconnect does not cut off messages already accepted by send(), for a
      // peer that reads or runs; one that does neither (stopped, blocked) is given up on, as
      // at exit (peer-watch.ts), so the process can still end.
      if (!closed && writer.queuedBytes > 0) {
        const stopWatch = watchDrain(hooks.peerPid?.(), () => writer.queuedBytes, finish);
        writer.onDrained = () => {
          stopWatch();
          finish();
        };
      } else {
        finish();
      }
    });
  }
  target._disconnect = disconnectNow;

  return { disconnectNow, end };
}
