// The socket lists against mock channel ends (what Node's test-internal-socket-list-send and
// -receive check on internal/socket_list, which compat/ can only reach through a server).
import t from 'tap';
import { EventEmitter } from 'events';
import { SocketListReceive, SocketListSend, SocketLists } from '../src/socket-list';

const key = 'test-key';
const closedBeforeReply = {
  code: 'ERR_CHILD_CLOSED_BEFORE_REPLY',
  name: 'Error',
  message: 'Child closed before reply received',
};

type Sent = { message: any; handle: unknown; swallowErrors: unknown };

/** A channel end: records what is sent; `answer` may reply on the next tick. */
function mockChild(connected: boolean, answer?: (child: EventEmitter, message: any) => void) {
  const sent: Sent[] = [];
  const child = Object.assign(new EventEmitter(), {
    connected,
    _send(message: any, handle: unknown, swallowErrors: unknown) {
      sent.push({ message, handle, swallowErrors });
      if (answer) process.nextTick(answer, child, message);
      return true;
    },
  });
  return { child, sent };
}

t.test('send: not connected -> error at once, nothing sent, no listener left', (t) => {
  const { child, sent } = mockChild(false);
  new SocketListSend(child, key)._request({ cmd: 'x' }, 'cmd', false, (err) => {
    t.match(err, closedBeforeReply);
    t.same(sent, []);
    t.equal(child.listenerCount('internalMessage'), 0);
    t.equal(child.listenerCount('disconnect'), 0);
    t.end();
  });
});

t.test('send: the matching reply (cmd and key) is the answer; others are ignored', (t) => {
  const { child } = mockChild(true, (c) => {
    c.emit('internalMessage', { key: 'other', cmd: 'cmd' });
    c.emit('internalMessage', { key, cmd: 'other' });
    c.emit('internalMessage', { key, cmd: 'cmd', n: 1 });
  });
  new SocketListSend(child, key)._request({ cmd: 'x' }, 'cmd', false, (err, reply) => {
    t.equal(err, null);
    t.same(reply, { key, cmd: 'cmd', n: 1 });
    t.equal(child.listenerCount('internalMessage'), 0);
    t.equal(child.listenerCount('disconnect'), 0);
    t.end();
  });
});

t.test('send: disconnect before the reply -> error, listeners removed', (t) => {
  const { child } = mockChild(true, (c) => {
    c.emit('disconnect');
    c.emit('internalMessage', { key, cmd: 'NODE_SOCKET_COUNT', count: 1 });
  });
  new SocketListSend(child, key).getConnections((err) => {
    t.match(err, closedBeforeReply);
    t.equal(child.listenerCount('internalMessage'), 0);
    t.end();
  });
});

t.test('send: close() asks NODE_SOCKET_NOTIFY_CLOSE (errors swallowed), waits for ALL_CLOSED', (t) => {
  const { child, sent } = mockChild(true, (c, m) => c.emit('internalMessage', { key: m.key, cmd: 'NODE_SOCKET_ALL_CLOSED' }));
  new SocketListSend(child, key).close((err, reply) => {
    t.equal(err, null);
    t.same(reply, { key, cmd: 'NODE_SOCKET_ALL_CLOSED' });
    t.same(sent, [{ message: { cmd: 'NODE_SOCKET_NOTIFY_CLOSE', key }, handle: undefined, swallowErrors: true }]);
    t.end();
  });
});

t.test('send: getConnections() asks NODE_SOCKET_GET_COUNT and calls back with the count', (t) => {
  const { child, sent } = mockChild(true, (c, m) => c.emit('internalMessage', { key: m.key, cmd: 'NODE_SOCKET_COUNT', count: 3 }));
  new SocketListSend(child, key).getConnections((err, count) => {
    t.equal(err, null);
    t.equal(count, 3);
    t.same(sent, [{ message: { cmd: 'NODE_SOCKET_GET_COUNT', key }, handle: undefined, swallowErrors: false }]);
    t.end();
  });
});

t.test("send: the child's 'exit' becomes the list's 'exit'", (t) => {
  const { child } = mockChild(true);
  const list = new SocketListSend(child, key);
  list.on('exit', (self) => {
    t.equal(self, list);
    t.end();
  });
  child.emit('exit');
});

t.test('receive: nothing is sent while not connected', async (t) => {
  const { child, sent } = mockChild(false);
  new SocketListReceive(child, key);
  child.emit('internalMessage', { key, cmd: 'NODE_SOCKET_NOTIFY_CLOSE' });
  child.emit('internalMessage', { key, cmd: 'NODE_SOCKET_GET_COUNT' });
  t.same(sent, []);
});

t.test('receive: counts, answers GET_COUNT, and ALL_CLOSED once empty', async (t) => {
  const { child, sent } = mockChild(true);
  const list = new SocketListReceive(child, key);
  const a = new EventEmitter();
  const b = new EventEmitter();
  list.add({ socket: a });
  list.add({ socket: b });
  t.equal(list.connections, 2);

  child.emit('internalMessage', { key: 'other', cmd: 'NODE_SOCKET_GET_COUNT' });
  child.emit('internalMessage', { key, cmd: 'NODE_SOCKET_GET_COUNT' });
  t.same(sent.map((s) => s.message), [{ cmd: 'NODE_SOCKET_COUNT', key, count: 2 }]);

  // Asked while sockets are open: the answer waits for the last 'close'.
  child.emit('internalMessage', { key, cmd: 'NODE_SOCKET_NOTIFY_CLOSE' });
  a.emit('close');
  t.equal(sent.length, 1);
  let empty = 0;
  list.on('empty', (self) => {
    t.equal(self, list);
    empty++;
  });
  b.emit('close');
  t.equal(list.connections, 0);
  t.equal(empty, 1);
  t.same(sent[1], { message: { cmd: 'NODE_SOCKET_ALL_CLOSED', key }, handle: undefined, swallowErrors: true });

  // Already empty: answered at once.
  child.emit('internalMessage', { key, cmd: 'NODE_SOCKET_NOTIFY_CLOSE' });
  t.same(sent[2].message, { cmd: 'NODE_SOCKET_ALL_CLOSED', key });
});

t.test('lists: one send list per key hooks its server once; received sockets are counted', async (t) => {
  const { child, sent } = mockChild(true);
  const lists = new SocketLists(child);
  const hooked: SocketListSend[] = [];
  const server = { _setupWorker: (list: SocketListSend) => hooked.push(list) } as any;
  lists.sending(server, key);
  lists.sending(server, key);
  lists.sending(server, 'second');
  t.same(hooked.map((l) => l.key), [key, 'second']);

  const socket = new EventEmitter() as any;
  lists.received(socket, key);
  lists.received(new EventEmitter() as any, key);
  child.emit('internalMessage', { key, cmd: 'NODE_SOCKET_GET_COUNT' });
  t.same(sent.map((s) => s.message), [{ cmd: 'NODE_SOCKET_COUNT', key, count: 2 }]);
});
