// Handles that travel with a message (Node's `send(message, handle)`): what each kind of
// object is on the wire (`type` of the NODE_HANDLE frame), which file descriptor leaves
// with the frame, and what object the receiver rebuilds around the descriptor it gets.
// Only public net/dgram APIs wrap received descriptors; nothing of Node's internals.
import dgram from 'dgram';
import net from 'net';
import { ERR_INVALID_HANDLE_TYPE } from './errors';

export type HandleType = 'net.Socket' | 'net.Server' | 'net.Native' | 'dgram.Socket' | 'dgram.Native';

/** The NODE_HANDLE frame as Node writes it. */
export interface HandleFrame {
  cmd: 'NODE_HANDLE';
  type: HandleType;
  msg: unknown;
  key?: string;
  dgramType?: string;
}

type WithHandle = { _handle?: { fd?: number } | null };
type NativeHandle = { fd?: number; constructor?: { name?: string } };

/** The kind of a handle passed to send(); anything else is ERR_INVALID_HANDLE_TYPE. */
export function handleType(handle: unknown): HandleType {
  if (handle instanceof net.Socket) return 'net.Socket';
  if (handle instanceof net.Server) return 'net.Server';
  if (handle instanceof dgram.Socket) return 'dgram.Socket';
  // Raw libuv wraps (server._handle and the like) are recognised by their class name.
  const name = (handle as NativeHandle)?.constructor?.name;
  if (name === 'TCP' || name === 'Pipe') return 'net.Native';
  if (name === 'UDP') return 'dgram.Native';
  throw new ERR_INVALID_HANDLE_TYPE();
}

function dgramHandle(socket: dgram.Socket): NativeHandle | undefined {
  // dgram keeps its wrap in a symbol-keyed state object; find it by shape.
  for (const symbol of Object.getOwnPropertySymbols(socket)) {
    const state = (socket as unknown as Record<symbol, { handle?: NativeHandle }>)[symbol];
    if (state && typeof state === 'object' && state.handle && typeof state.handle.fd === 'number') return state.handle;
  }
  return undefined;
}

function validFd(fd: unknown): number {
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

/**
 * The descriptor to send for `handle`, filling in the frame's extra fields; -1 when the
 * object has none (a closed socket, a server not listening): then only the message goes.
 */
export function descriptorOf(frame: HandleFrame, handle: unknown): number {
  switch (frame.type) {
    case 'net.Server':
    case 'net.Socket':
      return validFd((handle as WithHandle)._handle?.fd);
    case 'dgram.Socket':
      frame.dgramType = (handle as dgram.Socket & { type: string }).type;
      return validFd(dgramHandle(handle as dgram.Socket)?.fd);
    default:
      return validFd((handle as NativeHandle).fd);
  }
}

/**
 * A socket sent without keepOpen leaves this process: it stops reading at once (data must
 * reach the receiver, not us) and stops counting as its server's connection. Its
 * descriptor is closed once the receiver acknowledges (see releaseSent).
 */
export function detachSent(frame: HandleFrame, handle: unknown, keepOpen: boolean): void {
  if (frame.type !== 'net.Socket' || keepOpen) return;
  const socket = handle as net.Socket & { server?: { _connections?: number } };
  socket.pause();
  socket.setTimeout(0);
  if (socket.server && typeof socket.server._connections === 'number') socket.server._connections--;
}

/** After the ACK (or a lost handle): close the sender's copy of a detached socket. */
export function releaseSent(handle: unknown): void {
  if (handle instanceof net.Socket) handle.destroy();
}

/** Builds the receiver's object around `fd`, then calls `emit` with it. */
export function adoptHandle(frame: HandleFrame, fd: number, emit: (handle: unknown) => void): void {
  switch (frame.type) {
    case 'net.Server': {
      const server = new net.Server();
      server.listen({ fd }, () => emit(server));
      return;
    }
    case 'dgram.Socket': {
      const socket = dgram.createSocket((frame.dgramType as dgram.SocketType) || 'udp4');
      socket.bind({ fd }, () => emit(socket));
      return;
    }
    default:
      // net.Socket, and raw wraps, which only Node's internals could rebuild as such.
      emit(new net.Socket({ fd, readable: true, writable: true }));
  }
}
