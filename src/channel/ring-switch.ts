// The switch to the shared-memory transport (src-native/ring-transport.h): the child of a
// deka-ipc parent offers its rings with its first frame (the memfd rides with it), the parent
// attaches them and answers. Each side's switch frame is the last of its bytes on the socket;
// it is handled synchronously, before the native channel reads on. Switch frames are
// internal and never emitted.
import { binding, type NativeChannel } from '../native';
import type { Serialization } from '../serialization';
import type { FrameWriter } from '../frame-writer';
import { badMessage } from '../deka-errors';

const kShmOffer = { cmd: 'NODE_DEKA_SHM' };
const kShmAccepted = { cmd: 'NODE_DEKA_SHM_ACK' };

export interface RingSwitch {
  /** Whether a frame with this `cmd` is the switch frame this side waits for. */
  wants(cmd: string): boolean;
  /** That frame was just decoded (the decoder halted after it). */
  onSwitchFrame(cmd: string): void;
  /** Sends our offer (the child's first frame). */
  offer(): void;
}

export function setupRingSwitch(
  native: NativeChannel,
  writer: FrameWriter,
  serialization: Serialization,
  role: 'offer' | 'accept' | undefined,
  takeFd: () => number,
): RingSwitch {
  let accepting = role === 'accept';
  let offered = false;

  function offer(): void {
    // A build without rings (macOS, the BSDs, DEKA_IPC_PORTABLE): the socket it stays, and
    // the parent, which asked, keeps reading the socket since no offer comes.
    if (!binding.sharedRings) return;
    let memfd: number;
    try {
      memfd = native.shmCreate();
    } catch {
      return; // no memfd here (an old kernel, a sandbox): the socket it stays
    }
    // The memfd stays the native channel's until it closes: the frame may leave later.
    if (writer.write(serialization.encode(kShmOffer), memfd, { swallowErrors: true }) < 0) return;
    native.shmWriteStart();
    offered = true;
  }

  function accept(): void {
    accepting = false;
    const memfd = takeFd();
    try {
      if (memfd < 0) throw new Error('no descriptor came with it');
      native.shmAttach(memfd);
    } catch (cause) {
      // The child writes into rings we cannot read: the channel cannot go on.
      throw badMessage(`IPC peer offered shared memory that is not usable: ${(cause as Error).message}`, cause);
    } finally {
      if (memfd >= 0) binding.closeFd(memfd);
    }
    native.shmReadStart();
    writer.write(serialization.encode(kShmAccepted), -1, { swallowErrors: true });
    native.shmWriteStart();
  }

  return {
    wants: (cmd) => (accepting && cmd === kShmOffer.cmd) || (offered && cmd === kShmAccepted.cmd),
    onSwitchFrame(cmd) {
      if (cmd === kShmOffer.cmd) {
        accept();
      } else {
        // The parent switched too: its bytes after this frame are in the other ring.
        offered = false;
        native.shmReadStart();
      }
    },
    offer,
  };
}
