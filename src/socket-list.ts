// Node's socket-list protocol: a net.Server whose accepted sockets were sent to another
// process can no longer count or drain its connections alone, so getConnections() and
// close() ask each such process over the channel (NODE_SOCKET_* internal messages, keyed by
// the server's _connectionKey). Same messages and behaviour as Node's internal/socket_list,
// so a Node process on the other end of the channel understands us and we understand it.
import { EventEmitter } from 'events';
import type net from 'net';
import { makeNodeError } from './errors';

export const ERR_CHILD_CLOSED_BEFORE_REPLY = makeNodeError<[]>(
  Error,
  'ERR_CHILD_CLOSED_BEFORE_REPLY',
  'Child closed before reply received',
);

type InternalMessage = { cmd?: unknown; key?: unknown; count?: unknown };
type Callback<T> = (error: Error | null, value?: T) => void;

/** The channel side the lists talk through: a ChildProcess, or `process` in a child. */
export interface ListTarget extends EventEmitter {
  connected?: boolean;
  _send?: (...args: any[]) => boolean;
}

/**
 * The sender's view of the sockets one server handed to one peer; passed to the server's
 * `_setupWorker()`, which then polls it from getConnections() and close().
 */
export class SocketListSend extends EventEmitter {
  constructor(
    readonly child: ListTarget,
    readonly key: string,
  ) {
    super();
    // The server forgets this list when the peer process is gone.
    child.once('exit', () => this.emit('exit', this));
  }

  _request(message: object, cmd: string, swallowErrors: boolean, callback: Callback<InternalMessage>): void {
    const { child, key } = this;
    const onclose = () => {
      child.removeListener('internalMessage', onreply);
      callback(new ERR_CHILD_CLOSED_BEFORE_REPLY());
    };
    const onreply = (reply: InternalMessage) => {
      if (!(reply.cmd === cmd && reply.key === key)) return;
      child.removeListener('disconnect', onclose);
      child.removeListener('internalMessage', onreply);
      callback(null, reply);
    };
    if (!child.connected) return onclose();
    child._send!(message, undefined, swallowErrors);
    child.once('disconnect', onclose);
    child.on('internalMessage', onreply);
  }

  /** Calls back once the peer has closed every socket of this server it holds. */
  close(callback: Callback<InternalMessage>): void {
    this._request({ cmd: 'NODE_SOCKET_NOTIFY_CLOSE', key: this.key }, 'NODE_SOCKET_ALL_CLOSED', true, callback);
  }

  getConnections(callback: Callback<number>): void {
    this._request({ cmd: 'NODE_SOCKET_GET_COUNT', key: this.key }, 'NODE_SOCKET_COUNT', false, (err, reply) => {
      if (err) return callback(err);
      callback(null, reply!.count as number);
    });
  }
}

/** The receiver's count of the sockets it got from one server of the peer. */
export class SocketListReceive extends EventEmitter {
  connections = 0;

  constructor(
    readonly child: ListTarget,
    readonly key: string,
  ) {
    super();

    const onempty = () => {
      if (!child.connected) return;
      child._send!({ cmd: 'NODE_SOCKET_ALL_CLOSED', key }, undefined, true);
    };
    child.on('internalMessage', (message: InternalMessage) => {
      if (message.key !== key) return;
      if (message.cmd === 'NODE_SOCKET_NOTIFY_CLOSE') {
        if (this.connections === 0) return onempty();
        this.once('empty', onempty);
      } else if (message.cmd === 'NODE_SOCKET_GET_COUNT') {
        if (!child.connected) return;
        child._send!({ cmd: 'NODE_SOCKET_COUNT', key, count: this.connections });
      }
    });
  }

  add(entry: { socket: EventEmitter }): void {
    this.connections++;
    entry.socket.once('close', () => {
      if (--this.connections === 0) this.emit('empty', this);
    });
  }
}

/** One channel's lists, by server key, for each direction (Node keeps them on the channel). */
export class SocketLists {
  readonly #target: ListTarget;
  readonly #send = new Map<string, SocketListSend>();
  readonly #got = new Map<string, SocketListReceive>();

  /** `target`: the ChildProcess or `process` the channel belongs to (an EventEmitter). */
  constructor(target: object) {
    this.#target = target as ListTarget;
  }

  /**
   * Registers `server`'s socket going to the peer: the first time, the server is hooked so
   * that its getConnections()/close() also ask the peer.
   */
  sending(server: net.Server & { _setupWorker?: (list: SocketListSend) => void }, key: string): void {
    if (this.#send.has(key)) return;
    const list = new SocketListSend(this.#target, key);
    this.#send.set(key, list);
    server._setupWorker?.(list);
  }

  /** Counts a socket received from the peer's server `key` until it closes. */
  received(socket: net.Socket, key: string): void {
    let list = this.#got.get(key);
    if (!list) this.#got.set(key, (list = new SocketListReceive(this.#target, key)));
    list.add({ socket });
  }
}
