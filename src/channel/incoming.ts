// The read side: the native channel's chunks (and the descriptors that come with them)
// through the decoder into messages, each passed on by kind; bad bytes end the channel.
import { binding, kProtocolError, type NativeChannel, type OnRead } from '../native';
import type { Decoder, SerializationMode } from '../serialization';
import { traceFrame, tracing } from '../trace';
import { badMessage } from '../deka-errors';
import { isInternal, type EmitMessage } from './messages';
import type { RingSwitch } from './ring-switch';
import type { IpcTarget } from './target';

export interface Incoming {
  onRead: OnRead;
  /** Takes the descriptor that came with the last frame (-1 if none); it becomes the caller's. */
  takeFd(): number;
  /** Closes a descriptor no message claimed (the channel is closing). */
  closeFd(): void;
}

export function setupIncoming(
  target: IpcTarget,
  native: NativeChannel,
  decoder: Decoder,
  mode: SerializationMode,
  ring: RingSwitch,
  emit: EmitMessage,
  end: () => void,
): Incoming {
  // A received descriptor waits here for the NODE_HANDLE message it came with.
  let pendingFd = -1;

  function takeFd(): number {
    const fd = pendingFd;
    pendingFd = -1;
    return fd;
  }

  function onRead(chunk: Buffer | undefined, fd: number, status: number): void {
    if (chunk === undefined) {
      if (status === kProtocolError) {
        onMalformed(new Error('the peer broke the shared-memory protocol'));
      } else {
        end();
      }
      return;
    }
    if (fd >= 0) {
      if (pendingFd >= 0) binding.closeFd(pendingFd);
      pendingFd = fd;
    }
    try {
      const taken = decoder.push(chunk, deliver);
      // Stopped at a switch frame: what came after it on the socket are signals (src-native/ring-transport.h).
      if (taken < chunk.length) native.shmSignals(chunk.subarray(taken));
    } catch (cause) {
      onMalformed(cause as Error);
    }
  }

  function deliver(message: unknown): void {
    if (tracing) traceFrame('in', message, mode === 'json' ? undefined : -1);
    if (!isInternal(message)) {
      emit(message, undefined, false);
      return;
    }
    const cmd = (message as { cmd: string }).cmd;
    if (ring.wants(cmd)) {
      // The switch frame is the last of the peer's bytes on the socket: the decoder stops there.
      decoder.halt();
      ring.onSwitchFrame(cmd);
    } else if (cmd === 'NODE_HANDLE') {
      const handleFd = takeFd();
      // Nobody will adopt a descriptor once the channel is gone: give it back at once.
      if (handleFd >= 0 && !target.channel) binding.closeFd(handleFd);
      else emit(message, handleFd >= 0 ? handleFd : undefined, true);
    } else {
      emit(message, undefined, true);
    }
  }

  // Bytes that are not a message: say so clearly and shut the channel, rather than
  // throwing from inside the read callback (which would take the process down).
  function onMalformed(cause: Error): void {
    // A decoder's own coded error (e.g. an oversized frame) says enough; anything else
    // (JSON.parse, the V8 deserializer) is wrapped with one code for all bad input.
    let err = cause as NodeJS.ErrnoException;
    if (typeof err.code !== 'string') err = badMessage(`IPC channel received a malformed message: ${cause.message}`, cause);
    end();
    process.nextTick(() => {
      if (target.listenerCount('error') > 0) target.emit('error', err);
      else process.emitWarning(err);
    });
  }

  return {
    onRead,
    takeFd,
    closeFd() {
      if (pendingFd >= 0) binding.closeFd(pendingFd);
      pendingFd = -1;
    },
  };
}
