// deka-ipc's own error codes (Node has none of these), each defined and built here once.
// No imports: native.ts uses it while the preload decides whether the addon loads at all.
// (ERR_IPC_FRAME_TOO_LARGE, made by errors.ts's factory, stays with the frame limit it names.)

/** Bytes from the peer that are not a message, or a shared-memory offer that cannot be used. */
export function badMessage(message: string, cause: unknown): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(message, { cause });
  err.code = 'ERR_IPC_BAD_MESSAGE';
  return err;
}

/** The code of the warning for a handle the peer sent that was refused. */
export const kBadHandle = 'ERR_IPC_BAD_HANDLE';

/** The addon could not be loaded (no build, no prebuild for this ABI, or one that fails). */
export function nativeMissing(message: string, cause: unknown): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(message, { cause });
  err.code = 'ERR_DEKA_IPC_NATIVE_MISSING';
  return err;
}

/** No native channel for this OS (Windows' named pipes are a later phase). */
export function unsupportedPlatform(message: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(message);
  err.code = 'ERR_DEKA_IPC_UNSUPPORTED_PLATFORM';
  return err;
}
