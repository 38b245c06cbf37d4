#include "stream.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>

namespace deka {

namespace {

// Frames up to this size, written while the queue is not empty, are appended to its last
// request instead of becoming one of their own; a request stops growing at kRequestLimit.
constexpr size_t kAppendLimit = 8 * 1024;
constexpr size_t kRequestLimit = 64 * 1024;

// The scratch bytes are released after a write larger than this, so they do not pin memory.
constexpr size_t kScratchKeep = 1024 * 1024;

}  // namespace

Stream::Stream(int fd, v8::Local<v8::Function> onread, v8::Local<v8::Function> onwrite)
    : socket_(fd), onread_(onread), onwrite_(onwrite), async_(new Nan::AsyncResource("deka-ipc:channel")) {}

Stream::~Stream() {
  delete async_;  // null unless the channel never got its poll handle (see Open)
  DropQueue();
  if (!closed_ && fd() >= 0) close(fd());
}

int Stream::Open() {
  int err = uv_poll_init_socket(Nan::GetCurrentEventLoop(), &poll_, fd());
  if (err != 0) {
    closed_ = true;  // the caller still owns fd
    return err;
  }
  poll_.data = this;
  closesPending_ = 1;
  return 0;
}

// Encoded bytes of the write in progress; reused so a write the kernel takes at once costs
// no allocation.
Bytes& Stream::Scratch() {
  thread_local Bytes scratch;
  return scratch;
}

Transport& Stream::Writer() {
  if (out_ == Out::kRing) return *ring_;
  return socket_;
}

void Stream::UpdatePoll() {
  if (closed_) return;
  int events = (reading_ ? UV_READABLE : 0) | (Writer().WaitsForSocket(queue_) ? UV_WRITABLE : 0);
  if (events == pollEvents_) return;
  pollEvents_ = events;
  if (events == 0) {
    uv_poll_stop(&poll_);
  } else {
    uv_poll_start(&poll_, events, OnPoll);
  }
}

void Stream::OnPoll(uv_poll_t* handle, int status, int events) {
  auto* self = static_cast<Stream*>(handle->data);
  Nan::HandleScope scope;
  if (status < 0) {
    // libuv stopped the handle. It says UV_EBADF for EPOLLERR, which a socket reports once the
    // peer closed with bytes of ours unread (ECONNRESET): what the peer sent before that (on
    // the socket, or in the ring) is still to be read, and the read then reports the error.
    self->pollEvents_ = 0;
    if (self->reading_) {
      self->ReadSome();
      self->UpdatePoll();
      return;
    }
    self->UpdatePoll();
    self->EmitRead(Nan::Undefined(), -1, status);
    return;
  }
  if ((events & UV_READABLE) && self->reading_) self->ReadSome();
  if (!self->closed_ && !self->queue_.empty()) self->WriteQueued(events & UV_WRITABLE);
  self->Complete(0);
}

void Stream::OnIdle(uv_idle_t* handle) {
  auto* self = static_cast<Stream*>(handle->data);
  Nan::HandleScope scope;
  if (self->in_ != In::kSocket && self->reading_) {
    self->ReadSome(false);  // stops the idle once it sleeps
  } else {
    self->StopIdle();  // started for a write waiting for room: one turn is enough
  }
  if (!self->closed_ && !self->queue_.empty()) self->WriteQueued(false);
  self->Complete(0);
}

void Stream::StartIdle() {
  if (idleActive_ || closed_) return;
  idleActive_ = true;
  uv_idle_start(&idle_, OnIdle);
}

void Stream::StopIdle() {
  if (!idleActive_) return;
  idleActive_ = false;
  uv_idle_stop(&idle_);
}

size_t Stream::Flush(bool socketWritable, bool atExit, int* err) {
  size_t done = 0;
  *err = 0;
  // Once the socket's last request is gone the ring takes the rest, in the same call (a
  // wake-up from the peer, room in the ring, needs no socket either).
  for (;;) {
    const Out was = out_;
    if (was != Out::kRing && !socketWritable) break;
    Transport& transport = Writer();
    if (atExit && !transport.BeforeExitWrite()) {
      *err = UV_EOF;  // the peer is gone
      break;
    }
    const size_t before = queue_.size();
    done += transport.WriteQueued(queue_, was == Out::kSocketThenRing ? ahead_ : SIZE_MAX, err);
    if (was == Out::kSocketThenRing) {
      ahead_ -= before - queue_.size();
      if (ahead_ == 0) {
        out_ = Out::kRing;
        WakeWriter();  // a wake-up it may have waited for since we freed room
      }
    }
    if (*err != 0 || out_ == was) break;
  }
  return done;
}

void Stream::WriteQueued(bool socketWritable) {
  int err = 0;
  const size_t done = Flush(socketWritable, false, &err);
  if (err != 0 && withheld_ > 0) {
    const size_t n = withheld_;
    withheld_ = 0;
    FinishWrites(n, 0);
  }
  if (done > 0) Complete(done);
  if (err != 0 && !closed_) {
    size_t failed = 0;
    for (WriteReq* req : queue_.reqs) failed += !req->internal;
    DropQueue();
    FinishWrites(failed, err);
  }
  UpdatePoll();
}

void Stream::FlushAtExit() {
  int err = 0;
  Flush(true, true, &err);
  if (err != 0) DropQueue();  // the peer is gone: nothing more can leave
}

// After freeing room in the peer's ring: a 'W' if it waits for that (for room, or for us to
// catch up). Only once our own bytes go to the ring (before that the peer takes our socket
// bytes as frames): until then the announcement stays for us to take later.
void Stream::WakeWriter() {
  if (out_ == Out::kRing && ring_->rings()->TakeWriterWaiting()) ring_->Wake(true);
}

void Stream::FinishWrites(size_t count, int status) {
  if (onwrite_.IsEmpty()) return;  // closed
  v8::Local<v8::Value> argv[] = {Nan::New(static_cast<double>(count)), Nan::New(status)};
  onwrite_.Call(handle(), 2, argv, async_);
}

// Pacing. A write into the ring is taken at once, so a sender that waits for its callbacks
// before sending more (Node's way to keep a channel's memory bounded) would never wait: it
// stays runnable for as long as it has messages, and a few such children keep a 2-core
// parent off the CPU for tens of ms at a time (4 children sending batches of 1,000 `{ i }`,
// each batch after the last one's callback: the parent's timer waited 60-100 ms, Node's
// 20-30). Node's children sleep once their socket's buffer is full. So the completions of
// ring writes (the callbacks, never the bytes: those left at send()) wait while the reader
// has more unread than Node's socket would hold of such frames, and come on the reader's
// wake-up. Writes without a callback are not held: nobody waits for them.
namespace {

// Node's channel is a socket with Linux's default buffer (net.core.wmem_default), where each
// write costs its bytes and the kernel's bookkeeping of it: a paused reader's socket took 278
// writes of 14 bytes (3.9 KB), 93 of 1 KiB, 44 of 4 KiB, 3 of 64 KiB (net.Socket into a
// paused Unix socket, Node 20). A writer it blocks sleeps until it has drained to a quarter
// (Linux's unix_writable).
constexpr uint64_t kNodeSocketBuffer = 212992;
constexpr uint64_t kWriteOverhead = 768;

uint64_t SocketHolds(size_t frame) { return kNodeSocketBuffer * frame / (frame + kWriteOverhead); }

uint32_t WakeLevel(size_t frame) { return static_cast<uint32_t>(std::max<uint64_t>(SocketHolds(frame) / 4, 1)); }

}  // namespace

bool Stream::Paces() const {
  return ring_ != nullptr && out_ == Out::kRing && in_ == In::kRing && reading_ && !closed_;
}

// A write answered kWrittenBehind has a callback: its completion is reported later (never a
// callback from inside send()), when the reader has caught up.
void Stream::HoldCompletion() {
  withheld_++;
  if (closed_) return;  // Close() counted it
  // The reader's 'W' brings it; the next turn does when pacing stopped since, or the reader
  // caught up meanwhile.
  if (!Paces() || ring_->rings()->AnnounceWriterWaiting(WakeLevel(paceFrame_))) StartIdle();
}

// Reports `count` more completions, with those withheld, unless the reader is behind.
void Stream::Complete(size_t count) {
  withheld_ += count;
  if (withheld_ == 0 || closed_) return;
  if (Paces()) {
    // The queue waits for room: its wake-up brings us back.
    if (!queue_.empty()) return;
    if (!ring_->rings()->AnnounceWriterWaiting(WakeLevel(paceFrame_))) return;  // the reader's 'W' brings us back
  }
  const size_t n = withheld_;
  withheld_ = 0;
  FinishWrites(n, 0);
}

void Stream::DropQueue() {
  queue_.Drop();
  ahead_ = 0;
  if (out_ == Out::kSocketThenRing) out_ = Out::kRing;
}

// Behind a queue, a frame of at most `bound` bytes joins the last request when it fits (no
// allocation of its own, and the queue leaves in fewer, larger writes once the transport
// takes bytes again).
WriteReq* Stream::TailFor(size_t bound, int fd) {
  if (queue_.empty() || fd >= 0 || bound > kAppendLimit) return nullptr;
  // The last request before a switch to the ring goes to the socket; later frames must not.
  if (out_ == Out::kSocketThenRing && ahead_ == queue_.size()) return nullptr;
  WriteReq* tail = queue_.reqs.back();
  if (!tail->buffer.IsEmpty() || tail->owned.size() + bound > kRequestLimit ||
      !tail->owned.Reserve(tail->owned.size() + bound)) {
    return nullptr;
  }
  return tail;
}

void Stream::Appended(WriteReq* tail, char* end) {
  size_t before = tail->owned.size();
  tail->owned.set_size(end - tail->owned.data());
  tail->data = tail->owned.data();
  tail->length = tail->owned.size();
  queue_.bytes += tail->length - before;
}

int Stream::Send(v8::Local<v8::Value> buffer, const char* data, size_t length, int fd) {
  const bool isBuffer = !buffer.IsEmpty();
  Bytes& scratch = Scratch();
  size_t sent = 0;
  if (queue_.empty()) {
    // Nothing ahead of us: straight to the transport (the kernel, one syscall; or the ring,
    // none while the peer is awake), no queueing.
    ssize_t n = Writer().WriteNow(data, length, &fd);
    if (ring_ != nullptr && ring_->TakeWantsTurn()) StartIdle();
    if (n < 0) return static_cast<int>(n);
    sent = static_cast<size_t>(n);
  }
  if (sent == length) {
    if (scratch.capacity() > kScratchKeep) scratch.Release();
    if (!Paces() || (withheld_ == 0 && ring_->rings()->Unread() <= SocketHolds(length))) return kWritten;
    paceFrame_ = length;
    return kWrittenBehind;
  }

  auto* req = new WriteReq();
  req->fd = fd;
  if (isBuffer && length - sent > kAppendLimit) {
    req->buffer.Reset(buffer.As<v8::Object>());
    req->data = data;
    req->length = length;
    req->offset = sent;
  } else {
    // The request owns the bytes still to go: encoded bytes are taken over without a copy;
    // a small Buffer's rest is copied so later small frames can join it.
    if (isBuffer) {
      req->owned.Reserve(length - sent);
      memcpy(req->owned.data(), data + sent, length - sent);
      req->owned.set_size(length - sent);
    } else {
      req->owned.Swap(scratch);
      if (sent > 0) {
        memmove(req->owned.data(), req->owned.data() + sent, length - sent);
        req->owned.set_size(length - sent);
      }
    }
    req->data = req->owned.data();
    req->length = req->owned.size();
  }
  queue_.bytes += req->length - req->offset;
  queue_.reqs.push_back(req);
  UpdatePoll();
  return kQueued;
}

void Stream::ReadStart() {
  if (closed_) return;
  reading_ = true;
  UpdatePoll();
}

void Stream::ReadStop() {
  reading_ = false;
  UpdatePoll();
  // No wake-up reaches us now: held-back completions go on the next turn.
  if (withheld_ > 0) StartIdle();
}

void Stream::ReadPending() {
  if (closed_ || !reading_) return;
  readAll_ = true;
  ReadSome(true);
  readAll_ = false;
  if (!closed_) UpdatePoll();
}

void Stream::SetRef(bool ref) {
  if (closed_) return;
  if (ref) {
    uv_ref(reinterpret_cast<uv_handle_t*>(&poll_));
  } else {
    uv_unref(reinterpret_cast<uv_handle_t*>(&poll_));
  }
}

size_t Stream::Close() {
  if (closed_) return 0;
  closed_ = true;
  reading_ = false;
  DropQueue();
  uv_poll_stop(&poll_);
  close(fd());
  uv_close(reinterpret_cast<uv_handle_t*>(&poll_), OnClosed);
  if (ring_ != nullptr) {
    // The peer keeps its own mapping: what we published stays readable for it.
    uv_close(reinterpret_cast<uv_handle_t*>(&idle_), OnClosed);
    closesPending_++;
    if (in_ != In::kSocket) ring_->rings()->MarkClosed();
    ring_.reset();
    in_ = In::kSocket;
    out_ = Out::kSocket;
  }
  // The callbacks are strong roots, and their closures hold this channel's JS object and
  // everything the protocol kept (the ChildProcess, a partial frame): let go of them now,
  // or none of it could ever be collected. Nothing calls back after a close.
  onread_.Reset();
  onwrite_.Reset();
  const size_t written = withheld_;
  withheld_ = 0;
  return written;
}

void Stream::OnClosed(uv_handle_t* handle) {
  auto* self = static_cast<Stream*>(handle->data);
  if (--self->closesPending_ > 0) return;
  // The async resource's end is reported to Node here, on the loop: once unreferenced, the
  // channel is deleted from inside a garbage collection, where calling into Node crashes.
  delete self->async_;
  self->async_ = nullptr;
  self->Unref();
}

void Stream::SetupRings(SharedRings* rings, int memfd) {
  ring_.reset(new RingTransport(rings, memfd, fd()));
  uv_idle_init(Nan::GetCurrentEventLoop(), &idle_);
  idle_.data = this;
  // Never what keeps the process alive: the channel's own poll handle decides that.
  uv_unref(reinterpret_cast<uv_handle_t*>(&idle_));
}

void Stream::RingReadStart() {
  in_ = In::kRing;
  ring_->rings()->MarkAttached();
  // The peer may hold a descriptor back until we read the ring: tell it we do.
  ring_->Wake(out_ == Out::kRing);
  // Bytes may be in the ring already, with no signal to come for them.
  StartIdle();
}

void Stream::RingWriteStart() {
  ahead_ = queue_.size();
  out_ = ahead_ > 0 ? Out::kSocketThenRing : Out::kRing;
  UpdatePoll();
}

void Stream::RingWriteStop() {
  if (out_ == Out::kSocket || closed_) return;
  const size_t at = ahead_;
  out_ = Out::kSocket;
  ahead_ = 0;
  // No more pacing (the socket is Node's own pace): held-back completions go on the next turn.
  if (withheld_ > 0) StartIdle();
  // Sent, or the peer is gone (its EOF is for the reads): either way nothing waits.
  if (queue_.empty() && ring_->SendEnd() != -EAGAIN) return;
  // Behind what had to go to the socket first, ahead of the rest (part of whose first request
  // may be in the ring already: its remaining bytes follow the 'E').
  auto* req = new WriteReq();
  req->internal = true;
  req->owned.Reserve(1);
  req->owned.data()[0] = RingTransport::kEnd;
  req->owned.set_size(1);
  req->data = req->owned.data();
  req->length = 1;
  queue_.reqs.insert(queue_.reqs.begin() + static_cast<ptrdiff_t>(at), req);
  queue_.bytes += 1;
  UpdatePoll();
}

void Stream::TakeSignals(const char* bytes, size_t n) {
  if (in_ == In::kRingThenEnd) return;
  size_t after = 0;
  switch (ring_->TakeSignals(bytes, n, &after)) {
    case RingTransport::Said::kSignals:
      break;
    case RingTransport::Said::kEnd:
      // What follows is the peer's frames again, once the ring is read to its end.
      in_ = In::kRingThenSocket;
      resumeBytes_.assign(bytes + after, n - after);
      RingWriteStop();
      break;
    case RingTransport::Said::kNoSignal:
      in_ = In::kRingThenEnd;
      inEnd_ = kProtocolError;  // reported once the ring is drained
      break;
  }
}

}  // namespace deka
