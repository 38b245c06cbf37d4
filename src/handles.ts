// Handles that travel with a message (Node's `send(message, handle)`): what each kind of
// object is on the wire (`type` of the NODE_HANDLE frame), which file descriptor leaves
// with the frame, and what object the receiver rebuilds around the descriptor it gets.
// Only public net/dgram APIs wrap received descriptors; nothing of Node's internals.
// Giving a socket up in the sender touches the same underscore members of net/http that
// Node's own handle passing does (`_handle`, `server._connections`, `server._setupWorker`,
// `_http_common.freeParser`): the sender's objects must end up in the state Node leaves them.
import dgram from 'dgram';
import net from 'net';
import { ERR_INVALID_HANDLE_TYPE } from './errors';
import type { SocketLists } from './socket-list';

export type HandleType = 'net.Socket' | 'net.Server' | 'net.BoundSocket' | 'net.Native' | 'dgram.Socket' | 'dgram.Native';

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

// net.BoundSocket (Node 24+): a TCP or pipe socket bound but not yet listening or connected.
// Node moves it with the worker_threads transfer protocol: the sender's object gives up its
// wrap (and throws ERR_SOCKET_HANDLE_ADOPTED afterwards), the receiver rebuilds one with
// net._TransferredBoundSocket. Both steps are methods keyed by symbols on the prototype,
// found here by their descriptions; a line without BoundSocket has nothing to find.
type BoundSocketClass = (new (...args: never[]) => object) & { prototype: object };
const netBound = net as unknown as { BoundSocket?: BoundSocketClass; _TransferredBoundSocket?: BoundSocketClass };

function protoSymbol(cls: BoundSocketClass | undefined, description: string): symbol | undefined {
  return cls ? Object.getOwnPropertySymbols(cls.prototype).find((s) => s.description === description) : undefined;
}

// The wrap each sent BoundSocket gave up: closed after the ACK (as Node's closeHandleAfterAck),
// and sent again, not transferred again, when the receiver asks for a retransmission.
const boundWraps = new WeakMap<object, NativeHandle & { close?: () => void }>();

function transferBound(bound: object): NativeHandle {
  const held = boundWraps.get(bound);
  if (held) return held;
  if ((bound as { isPipe?: boolean }).isPipe) throw new ERR_INVALID_HANDLE_TYPE(); // pipe binds stay (Node)
  const transfer = protoSymbol(netBound.BoundSocket, 'messaging_transfer_symbol');
  if (!transfer) throw new ERR_INVALID_HANDLE_TYPE();
  // Throws ERR_WORKER_HANDLE_NOT_TRANSFERABLE when already adopted, closed or sent, as in Node.
  const wrap = (bound as Record<symbol, () => { data: { handle: NativeHandle } }>)[transfer]().data.handle;
  boundWraps.set(bound, wrap);
  return wrap;
}

/** The receiver's net.BoundSocket around a stream wrap of the descriptor it got. */
function adoptBound(wrap: unknown): object {
  const deserialize = protoSymbol(netBound._TransferredBoundSocket, 'messaging_deserialize_symbol');
  if (!netBound._TransferredBoundSocket || !deserialize) throw new Error('this Node line has no net.BoundSocket');
  const bound = new netBound._TransferredBoundSocket();
  (bound as Record<symbol, (data: { handle: unknown }) => void>)[deserialize]({ handle: wrap });
  return bound;
}

/** The kind of a handle passed to send(); anything else is ERR_INVALID_HANDLE_TYPE. */
export function handleType(handle: unknown): HandleType {
  if (handle instanceof net.Socket) return 'net.Socket';
  if (handle instanceof net.Server) return 'net.Server';
  if (netBound.BoundSocket && handle instanceof netBound.BoundSocket) return 'net.BoundSocket';
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

type ServerSocket = net.Socket & {
  server?: (net.Server & { _connectionKey?: string; _connections?: number }) | null;
  _server?: unknown;
  _handle?: { fd?: number; readStop?: () => number; close?: () => void; onread?: unknown } | null;
  parser?: unknown;
  _httpMessage?: { detachSocket?: (socket: net.Socket) => void } | null;
};

/**
 * The descriptor to send for `handle`, filling in the frame's extra fields; -1 when the
 * object has none (a closed socket, a server not listening): then only the message goes.
 * A socket accepted by a server carries the server's key, and the server learns that
 * this peer now holds some of its connections (see socket-list.ts).
 */
export function descriptorOf(frame: HandleFrame, handle: unknown, lists: SocketLists): number {
  switch (frame.type) {
    case 'net.Socket': {
      const socket = handle as ServerSocket;
      const fd = validFd(socket._handle?.fd);
      if (fd >= 0 && socket.server && typeof socket.server._connectionKey === 'string') {
        frame.key = socket.server._connectionKey;
        lists.sending(socket.server, frame.key);
      }
      return fd;
    }
    case 'net.Server':
      return validFd((handle as WithHandle)._handle?.fd);
    case 'net.BoundSocket':
      return validFd(transferBound(handle as object).fd);
    case 'dgram.Socket':
      frame.dgramType = (handle as dgram.Socket & { type: string }).type;
      return validFd(dgramHandle(handle as dgram.Socket)?.fd);
    default:
      return validFd((handle as NativeHandle).fd);
  }
}

// Sockets already given up by this process: a retransmission must not give them up twice.
const detached = new WeakSet<object>();
const noop = () => {};

/**
 * A socket sent without keepOpen leaves this process, as in Node: it stops counting as its
 * server's connection, stops reading (what arrives now is the receiver's), loses its idle
 * timer, and an HTTP server's parser and response let go of it. Its descriptor stays open
 * until the receiver acknowledges (see releaseSent).
 */
export function detachSent(frame: HandleFrame, handle: unknown, keepOpen: boolean): void {
  if (frame.type !== 'net.Socket' || keepOpen || detached.has(handle as object)) return;
  detached.add(handle as object);
  const socket = handle as ServerSocket;
  if (socket.server && typeof socket.server._connections === 'number') socket.server._connections--;
  if (typeof socket._handle?.readStop === 'function') socket._handle.readStop();
  else socket.pause();
  socket.setTimeout(0);
  freeHttpState(socket);
}

// Node frees the parser of a socket an HTTP server accepted (it may be reading the handle
// itself, bypassing the stream) and detaches the pending response from it.
function freeHttpState(socket: ServerSocket): void {
  if (!socket.parser) return;
  let http: { HTTPParser?: Function; freeParser?: (parser: unknown, req: null, socket: net.Socket) => void };
  try {
    http = require('_http_common');
  } catch {
    return; // a runtime without Node's HTTP internals has no parser of that kind either
  }
  if (!http.HTTPParser || !(socket.parser instanceof http.HTTPParser) || !http.freeParser) return;
  http.freeParser(socket.parser, null, socket);
  socket._httpMessage?.detachSocket?.(socket);
}

/**
 * After the ACK (or a lost handle): close the sender's copy of a detached socket. Like
 * Node, the descriptor is taken away from the socket object rather than the socket being
 * destroyed: no 'close' in the sender, no second count off its server, no request aborted
 * by an HTTP server — the connection lives on in the receiver.
 */
export function releaseSent(handle: unknown): void {
  const boundWrap = typeof handle === 'object' && handle !== null ? boundWraps.get(handle) : undefined;
  if (boundWrap) {
    boundWraps.delete(handle as object);
    boundWrap.close?.();
    return;
  }
  if (!(handle instanceof net.Socket)) return;
  const socket = handle as ServerSocket;
  const wrap = socket._handle;
  if (wrap && typeof wrap.close === 'function') {
    wrap.onread = noop;
    socket._handle = null;
    wrap.close();
  } else {
    // No wrap to take over: destroy the socket, without counting it off its server again.
    socket._server = null;
    socket.destroy();
  }
}

/**
 * A bare libuv stream wrap (TCP or Pipe, whichever the descriptor is) around `fd`: what Node's
 * receiver gets for a 'net.Native' handle (a cluster primary's accepted connection or shared
 * listening socket, any `server._handle`), to be listened on (`server.listen(handle)`) or
 * wrapped (`new net.Socket({ handle })`). Made through public net only: a socket built on the
 * descriptor creates and opens the matching wrap; `manualStart` keeps it from reading, and the
 * socket is then dropped, leaving the wrap to whoever adopts it (which resets its owner).
 */
function rawStreamWrap(fd: number): unknown {
  const socket = new net.Socket({ fd, manualStart: true } as net.SocketConstructorOpts) as ServerSocket;
  const wrap = socket._handle;
  socket._handle = null;
  return wrap;
}

/** A bare UDP wrap around `fd` ('dgram.Native'), opened on a fresh dgram socket's own wrap. */
function rawUdpWrap(fd: number): unknown {
  const socket = dgram.createSocket('udp4');
  const wrap = dgramHandle(socket) as (NativeHandle & { open?: (fd: number) => number }) | undefined;
  const status = typeof wrap?.open === 'function' ? wrap.open(fd) : -1;
  if (status !== 0) throw Object.assign(new Error(`cannot open descriptor ${fd} as a UDP handle`), { errno: status });
  return wrap;
}

/** Builds the receiver's object around `fd`, then calls `emit` with it. */
export function adoptHandle(frame: HandleFrame, fd: number, lists: SocketLists, emit: (handle: unknown) => void): void {
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
    case 'net.Native':
      emit(rawStreamWrap(fd));
      return;
    case 'net.BoundSocket':
      emit(adoptBound(rawStreamWrap(fd)));
      return;
    case 'dgram.Native':
      emit(rawUdpWrap(fd));
      return;
    default: {
      const socket = new net.Socket({ fd, readable: true, writable: true });
      // One of the peer's server's connections: the peer's getConnections()/close() ask us.
      if (frame.type === 'net.Socket' && typeof frame.key === 'string') lists.received(socket, frame.key);
      emit(socket);
    }
  }
}
