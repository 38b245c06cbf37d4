// The channel's face in JS: new Channel(fd, onread, onwrite) and its methods, over the stream
// (stream.h), which does the work. Argument checks and answers only.
#include "channel.h"

#include <errno.h>
#include <fcntl.h>
#include <node_buffer.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <algorithm>
#include <vector>

#include "advanced.h"
#include "json-line.h"
#include "peer-activity.h"
#include "platform.h"
#include "wrap-class.h"

namespace deka {

namespace {

// The socket's send buffer (see Channel::New).
constexpr int kSendBuffer = 1024 * 1024;

int64_t NowMs() { return NowNs() / 1000000; }

// An upper bound of the bytes a Buffer or string encodes to. A bound rather than the exact
// UTF-8 length spares a whole pass over every string.
size_t BoundBytes(v8::Local<v8::Value> data) {
  if (node::Buffer::HasInstance(data)) return node::Buffer::Length(data);
  v8::Local<v8::String> str = data.As<v8::String>();
  return static_cast<size_t>(str->Length()) * (str->IsOneByte() ? 2 : 3);
}

// Writes what BoundBytes measured; returns the end of what was written.
char* WriteBytes(v8::Isolate* isolate, v8::Local<v8::Value> data, char* out) {
  if (node::Buffer::HasInstance(data)) {
    size_t length = node::Buffer::Length(data);
    memcpy(out, node::Buffer::Data(data), length);
    return out + length;
  }
  v8::Local<v8::String> str = data.As<v8::String>();
  size_t bound = BoundBytes(data);
#if V8_MAJOR_VERSION >= 13
  // V8 13 (Node 24) added WriteUtf8V2 and deprecated WriteUtf8; V8 14 (Node 26) removed it.
  return out + str->WriteUtf8V2(isolate, out, bound, v8::String::WriteFlags::kReplaceInvalidUtf8);
#else
  return out + str->WriteUtf8(isolate, out, static_cast<int>(bound), nullptr,
                              v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
#endif
}

}  // namespace

Channel::Channel(int fd, v8::Local<v8::Function> onread, v8::Local<v8::Function> onwrite)
    : Stream(fd, onread, onwrite) {}

NAN_MODULE_INIT(Channel::Init) {
  ExportWrapClass(target, "Channel", New,
                  {
                      {"readStart", ReadStart},
                      {"readStop", ReadStop},
                      {"readPending", ReadPending},
                      {"write", Write},
                      {"writeQuoted", WriteQuoted},
                      {"writeAdvanced", WriteAdvanced},
                      {"ref", RefHandle},
                      {"unref", UnrefHandle},
                      {"close", Close},
                      {"holdCompletion", HoldCompletion},
                      {"shmCreate", ShmCreate},
                      {"shmAttach", ShmAttach},
                      {"shmReadStart", ShmReadStart},
                      {"shmWriteStart", ShmWriteStart},
                      {"shmWriteStop", ShmWriteStop},
                      {"shmSignals", ShmSignals},
                  },
                  {{"writeQueueSize", GetWriteQueueSize}, {"fd", GetFd}});
  Nan::SetMethod(target, "flushSync", FlushSync);
}

// new Channel(fd, onread(chunk | undefined, fd, status), onwrite(count, status))
NAN_METHOD(Channel::New) {
  if (!info.IsConstructCall()) return Nan::ThrowTypeError("Channel must be called with new");
  if (!info[0]->IsInt32() || !info[1]->IsFunction() || !info[2]->IsFunction()) {
    return Nan::ThrowTypeError("Channel(fd, onread, onwrite): bad arguments");
  }
  int fd = Nan::To<int32_t>(info[0]).FromJust();
  if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
    return Nan::ThrowError(Nan::ErrnoException(EBADF, "Channel", "not an open file descriptor"));
  }
  // Our end must never leak into later spawns, and is driven without blocking.
  fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  PlatformAdoptSocket(fd);
  // Room in the kernel for a whole window of large messages (a Unix stream socket charges
  // bytes not yet read to the sender's buffer): with the default (~200 KiB) a pipeline of
  // 64 KiB frames stalls every few frames until the peer is scheduled and reads. Where the
  // system caps it lower, the cap applies. send()'s false still means our own queue.
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kSendBuffer, sizeof(kSendBuffer));

  auto* channel = new Channel(fd, info[1].As<v8::Function>(), info[2].As<v8::Function>());
  int err = channel->Open();
  if (err != 0) {
    delete channel;
    return Nan::ThrowError(Nan::ErrnoException(-err, "uv_poll_init"));
  }
  channel->Wrap(info.This());
  // Alive while the poll handle exists, whatever JS holds; released in OnClosed.
  channel->Ref();
  info.GetReturnValue().Set(info.This());
}

NAN_METHOD(Channel::ReadStart) { Nan::ObjectWrap::Unwrap<Channel>(info.Holder())->Stream::ReadStart(); }

// readPending(): reads, now, everything the peer's bytes hold up to their current end (the
// socket, the ring, EOF), as one wake-up would without its budget: for a child that exited,
// whose channel's end must be seen before its 'exit' (see spawn.ts).
NAN_METHOD(Channel::ReadPending) { Nan::ObjectWrap::Unwrap<Channel>(info.Holder())->Stream::ReadPending(); }

NAN_METHOD(Channel::ReadStop) { Nan::ObjectWrap::Unwrap<Channel>(info.Holder())->Stream::ReadStop(); }

// write(data: Buffer | string, fd = -1) → 0 when the kernel took every byte now, 1 when
// (part of) it is queued as a new request that onwrite will report, 2 when it was appended
// to the last queued request and completes with it, or a negative errno.
// The first write on an idle socket always reaches the kernel inside this call, as Node's
// does: a message leaves when send() returns. Only while the kernel is not taking bytes do
// writes wait, and then small ones are gathered into the last request (one sendmsg later).
NAN_METHOD(Channel::Write) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed()) return info.GetReturnValue().Set(UV_EBADF);
  int fd = info.Length() > 1 && info[1]->IsInt32() ? Nan::To<int32_t>(info[1]).FromJust() : -1;
  v8::Isolate* isolate = info.GetIsolate();

  const bool isBuffer = node::Buffer::HasInstance(info[0]);
  if (!isBuffer && !info[0]->IsString()) {
    return Nan::ThrowTypeError("write(data): data must be a Buffer or a string");
  }
  const size_t bound = BoundBytes(info[0]);
  auto encode = [&](char* out) { return WriteBytes(isolate, info[0], out); };
  if (isBuffer) {
    // A Buffer that does not join the last request is sent from its own memory.
    if (WriteReq* tail = self->TailFor(bound, fd)) {
      self->Appended(tail, encode(tail->owned.data() + tail->owned.size()));
      return info.GetReturnValue().Set(kAppended);
    }
    return info.GetReturnValue().Set(
        self->Send(info[0], node::Buffer::Data(info[0]), node::Buffer::Length(info[0]), fd));
  }
  const int result = self->WriteEncoded(bound, fd, encode);
  if (result == kNoMemory) return Nan::ThrowError("write(data): out of memory");
  info.GetReturnValue().Set(result);
}

// writeQuoted(value, fd = -1) → as write(JSON.stringify(value) + '\n'), without the
// stringify, for a string that needs no escape and for a flat object of such strings,
// numbers, booleans and null (json-line.h); 3 (nothing written, nothing read from the
// object that a program could notice) for any other value.
NAN_METHOD(Channel::WriteQuoted) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed()) return info.GetReturnValue().Set(UV_EBADF);
  int fd = info.Length() > 1 && info[1]->IsInt32() ? Nan::To<int32_t>(info[1]).FromJust() : -1;
  v8::Isolate* isolate = info.GetIsolate();
  JsonLine line;
  if (!line.Accept(isolate, info[0])) return info.GetReturnValue().Set(kUseJs);
  const int result = self->WriteEncoded(line.bound(), fd, [&](char* out) { return line.Write(isolate, out); });
  if (result == kNoMemory) return Nan::ThrowError("writeQuoted: out of memory");
  info.GetReturnValue().Set(result);
}

// writeAdvanced(value, fd = -1) → as write(frame) for the value's advanced frame, serialized
// by V8 straight into the bytes sent; throws what V8's serializer throws (nothing is
// written then); 3 (nothing written) for a value left to the JS encoder.
NAN_METHOD(Channel::WriteAdvanced) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  int fd = info.Length() > 1 && info[1]->IsInt32() ? Nan::To<int32_t>(info[1]).FromJust() : -1;
  Bytes& scratch = Scratch();
  Encoded encoded = SerializeFrame(info.GetIsolate(), info[0], scratch);
  if (encoded == Encoded::kThrown) return;
  if (encoded == Encoded::kUseJs) return info.GetReturnValue().Set(kUseJs);
  if (self->closed()) return info.GetReturnValue().Set(UV_EBADF);
  if (WriteReq* tail = self->TailFor(scratch.size(), fd)) {
    memcpy(tail->owned.data() + tail->owned.size(), scratch.data(), scratch.size());
    self->Appended(tail, tail->owned.data() + tail->owned.size() + scratch.size());
    return info.GetReturnValue().Set(kAppended);
  }
  info.GetReturnValue().Set(self->Send(v8::Local<v8::Value>(), scratch.data(), scratch.size(), fd));
}

// flushSync([channels], timeoutMs, stallMs, [peerPids]) → bytes still queued in all of them.
// Blocks (outside the loop) while the channels' queues are written, all at once: used when
// the process is exiting and the loop will not run again. Each channel is judged by what its
// peer does (peer-activity.h): it is waited for while the peer takes bytes or runs (a child
// still starting up takes no byte but runs), and given up once it has done neither for
// stallMs (stopped, blocked in Atomics.wait, gone: EPIPE ends it at once); where the peer
// cannot be watched (no pid, no /proc) only taken bytes count. All end at timeoutMs.
// Completion callbacks are not called: nobody is left to run them.
NAN_METHOD(Channel::FlushSync) {
  if (!info[0]->IsArray()) return Nan::ThrowTypeError("flushSync(channels, timeoutMs, stallMs, peerPids): channels must be an array");
  v8::Local<v8::Array> list = info[0].As<v8::Array>();
  v8::Local<v8::Array> pids = info[3]->IsArray() ? info[3].As<v8::Array>() : Nan::New<v8::Array>(0);
  auto ms = [&](int index) -> int64_t {
    return info[index]->IsNumber() ? static_cast<int64_t>(Nan::To<double>(info[index]).FromJust()) : 0;
  };
  const int64_t start = NowMs();
  const int64_t deadline = start + ms(1);
  const int64_t stall = ms(2);
  // How often a quiet peer is looked at: /proc counts CPU time in 10 ms ticks.
  constexpr int64_t kLookMs = 50;
  struct Flushing {
    Channel* channel;
    PeerWatch peer;
    int64_t lastProgress;
    int64_t nextLook;
  };
  std::vector<Flushing> channels;
  for (uint32_t i = 0; i < list->Length(); i++) {
    v8::Local<v8::Value> item = Nan::Get(list, i).ToLocalChecked();
    if (!item->IsObject() || item.As<v8::Object>()->InternalFieldCount() < 1) continue;
    v8::Local<v8::Value> pid = i < pids->Length() ? Nan::Get(pids, i).ToLocalChecked() : Nan::Undefined().As<v8::Value>();
    channels.push_back({Nan::ObjectWrap::Unwrap<Channel>(item.As<v8::Object>()),
                        PeerWatch(pid->IsInt32() ? Nan::To<int32_t>(pid).FromJust() : 0), start, start + kLookMs});
  }
  for (;;) {
    std::vector<struct pollfd> waiting;
    int64_t now = NowMs();
    for (Flushing& flushing : channels) {
      Channel* channel = flushing.channel;
      if (channel->closed() || channel->queueEmpty()) continue;
      if (now - flushing.lastProgress >= stall) continue;  // given up: neither reads nor runs
      size_t before = channel->queuedBytes();
      channel->FlushAtExit();
      now = NowMs();
      if (channel->queuedBytes() != before) {
        flushing.lastProgress = now;
      } else if (now >= flushing.nextLook) {
        flushing.nextLook = now + kLookMs;
        if (flushing.peer.Alive()) flushing.lastProgress = now;
      }
      if (!channel->queueEmpty() && now - flushing.lastProgress < stall) {
        waiting.push_back({channel->fd(), channel->ExitWaitEvents(), 0});
      }
    }
    const int64_t left = std::min(deadline - now, kLookMs);
    if (waiting.empty() || now >= deadline) break;
    poll(waiting.data(), waiting.size(), static_cast<int>(std::max<int64_t>(left, 1)));
  }
  double queued = 0;
  for (Flushing& flushing : channels) queued += static_cast<double>(flushing.channel->queuedBytes());
  info.GetReturnValue().Set(queued);
}

NAN_METHOD(Channel::RefHandle) { Nan::ObjectWrap::Unwrap<Channel>(info.Holder())->SetRef(true); }

NAN_METHOD(Channel::UnrefHandle) { Nan::ObjectWrap::Unwrap<Channel>(info.Holder())->SetRef(false); }

// close(): stop polling and close the socket now (the peer sees EOF at once). Queued
// bytes are dropped; callers that must deliver them drain first. → how many writes were in
// the peer's hands with their completions held back (pacing): written, JS settles them.
NAN_METHOD(Channel::Close) {
  const size_t written = Nan::ObjectWrap::Unwrap<Channel>(info.Holder())->Stream::Close();
  info.GetReturnValue().Set(static_cast<double>(written));
}

// holdCompletion(): the write just answered kWrittenBehind has a callback; onwrite reports it
// once the reader has caught up (stream.cc's pacing).
NAN_METHOD(Channel::HoldCompletion) { Nan::ObjectWrap::Unwrap<Channel>(info.Holder())->Stream::HoldCompletion(); }

// The shared-memory rings (ring-transport.h has the protocol of the switches).

// shmCreate() → the memfd to send to the peer with the NODE_DEKA_SHM frame.
NAN_METHOD(Channel::ShmCreate) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed() || self->HasRings()) return Nan::ThrowError("shmCreate: channel closed or already shared");
  SharedRings* rings = nullptr;
  int fd = SharedRings::Create(&rings);
  if (fd < 0) return Nan::ThrowError(Nan::ErrnoException(-fd, "shmCreate"));
  self->SetupRings(rings, fd);
  info.GetReturnValue().Set(fd);
}

// shmAttach(fd): maps the rings the peer sent; throws (code EPROTO) for anything else.
// The caller still owns fd.
NAN_METHOD(Channel::ShmAttach) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (!info[0]->IsInt32()) return Nan::ThrowTypeError("shmAttach(fd): fd must be an integer");
  if (self->closed() || self->HasRings()) return Nan::ThrowError("shmAttach: channel closed or already shared");
  SharedRings* rings = nullptr;
  int err = SharedRings::Attach(Nan::To<int32_t>(info[0]).FromJust(), &rings);
  if (err != 0) return Nan::ThrowError(Nan::ErrnoException(-err, "shmAttach", "not the shared rings of a deka-ipc peer"));
  self->SetupRings(rings, -1);
}

// shmReadStart(): the peer's switch frame was just delivered; its bytes come from the ring.
NAN_METHOD(Channel::ShmReadStart) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed() || !self->HasRings() || self->readsRing()) return Nan::ThrowError("shmReadStart: no rings to read");
  self->RingReadStart();
}

// shmWriteStart(): our switch frame was just written or queued; what follows goes to the ring.
NAN_METHOD(Channel::ShmWriteStart) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed() || !self->HasRings() || self->writesRing()) return Nan::ThrowError("shmWriteStart: no rings to write");
  self->RingWriteStart();
}

// shmWriteStop(): back to the socket for what we send, before a program writes to
// channel.fd itself.
NAN_METHOD(Channel::ShmWriteStop) { Nan::ObjectWrap::Unwrap<Channel>(info.Holder())->RingWriteStop(); }

// shmSignals(buffer): socket bytes the decoder left after the switch frame it stopped at.
NAN_METHOD(Channel::ShmSignals) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (!node::Buffer::HasInstance(info[0])) return Nan::ThrowTypeError("shmSignals(buffer)");
  if (!self->readsRing()) return;
  self->TakeSignals(node::Buffer::Data(info[0]), node::Buffer::Length(info[0]));
}

NAN_GETTER(Channel::GetWriteQueueSize) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  info.GetReturnValue().Set(static_cast<double>(self->queuedBytes()));
}

NAN_GETTER(Channel::GetFd) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  info.GetReturnValue().Set(self->closed() ? -1 : self->fd());
}

}  // namespace deka
