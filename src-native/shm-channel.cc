// The channel over shared memory (shm-ring.h), for two deka-ipc peers that agreed on it.
//
// The switch, one direction at a time, in the order of the byte stream: a side sends one last
// frame on the socket (the TypeScript layer's NODE_DEKA_SHM, or its answer NODE_DEKA_SHM_ACK)
// and calls shmWriteStart(); every byte it sends after that goes to the ring, behind whatever
// was still queued for the socket. The peer reads that frame in order, calls shmReadStart(),
// and from then on reads its bytes from the ring. After the switch the socket carries only
// one-byte signals: 'F' with a descriptor (SCM_RIGHTS) for the frame that follows it in the
// ring, and 'W' to wake the other side (the reader asleep in its loop, or the writer waiting
// for room). A side sends no 'F' or 'W' until the peer has switched to reading the ring
// (readerAttached): before that the peer would take the byte as part of a frame.
//
// And back, for good: a program that takes channel.fd may write frames of its own there, as
// Node's tests do. Its side sends 'E' after the last byte it put into the ring, and the rest
// of its bytes on the socket; the peer reads the ring to its end, then the socket again, and
// answers with its own 'E' (after which it sends no more signals either).
//
// A message still leaves when send() returns: its bytes are in memory the peer maps, and a
// peer asleep in its loop is woken at once. EOF and errors still come from the socket; they
// are reported once the ring is empty, so nothing written before a close is lost.
//
// Memory order: every atomic load and store of the mapping is in shm-ring.cc, each with the
// store or load it pairs with. What this file keeps is the order of the calls they rely on:
// a carrier is sent and counted before its frame's bytes are published (SendCarrier, then
// Put); the reader loads the tail before it looks for carriers (ReadShm); a side publishes
// (Put, Get) before it looks whether the other sleeps (TakeReaderWaiting, TakeWriterWaiting),
// and announces its own sleep before it looks once more (Announce*Waiting).
#include "contract.h"

#include <errno.h>
#include <node_buffer.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "channel.h"
#include "io.h"

namespace deka {

namespace {

constexpr char kCarrier = 'F';
constexpr char kWake = 'W';
constexpr char kEnd = 'E';

// Signals read per pass; a peer sending nothing but signals cannot hold a turn beyond it.
constexpr int kSignalReads = 16;

// One signal byte on the socket, with a descriptor riding on it or none: SendWithFd's answer.
ssize_t SendSignal(int sock, char byte, int fd) {
  struct iovec iov = {&byte, 1};
  return SendWithFd(sock, &iov, 1, fd);
}

}  // namespace

void Channel::SetupShm(SharedRings* rings) {
  shm_ = rings;
  uv_idle_init(Nan::GetCurrentEventLoop(), &idle_);
  idle_.data = this;
  // Never what keeps the process alive: the channel's own poll handle decides that.
  uv_unref(reinterpret_cast<uv_handle_t*>(&idle_));
}

// shmCreate() → the memfd to send to the peer with the NODE_DEKA_SHM frame.
NAN_METHOD(Channel::ShmCreate) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed_ || self->shm_ != nullptr) return Nan::ThrowError("shmCreate: channel closed or already shared");
  SharedRings* rings = nullptr;
  int fd = SharedRings::Create(&rings);
  if (fd < 0) return Nan::ThrowError(Nan::ErrnoException(-fd, "shmCreate"));
  self->SetupShm(rings);
  self->shmFd_ = fd;
  info.GetReturnValue().Set(fd);
}

// shmAttach(fd): maps the rings the peer sent; throws (code EPROTO) for anything else.
// The caller still owns fd.
NAN_METHOD(Channel::ShmAttach) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (!info[0]->IsInt32()) return Nan::ThrowTypeError("shmAttach(fd): fd must be an integer");
  if (self->closed_ || self->shm_ != nullptr) return Nan::ThrowError("shmAttach: channel closed or already shared");
  SharedRings* rings = nullptr;
  int err = SharedRings::Attach(Nan::To<int32_t>(info[0]).FromJust(), &rings);
  if (err != 0) return Nan::ThrowError(Nan::ErrnoException(-err, "shmAttach", "not the shared rings of a deka-ipc peer"));
  self->SetupShm(rings);
}

// shmReadStart(): the peer's switch frame was just delivered; its bytes come from the ring.
NAN_METHOD(Channel::ShmReadStart) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed_ || self->shm_ == nullptr || self->shmIn_) return Nan::ThrowError("shmReadStart: no rings to read");
  self->shmIn_ = true;
  self->shm_->MarkAttached();
  // The peer may hold a descriptor back until we read the ring: tell it we do.
  self->Signal(kWake);
  // Bytes may be in the ring already, with no signal to come for them.
  self->StartIdle();
}

// shmWriteStop(): back to the socket for what we send (see the top), before a program writes
// to channel.fd itself.
NAN_METHOD(Channel::ShmWriteStop) { Nan::ObjectWrap::Unwrap<Channel>(info.Holder())->EndShmOut(); }

// shmSignals(buffer): socket bytes the decoder left after the switch frame it stopped at.
NAN_METHOD(Channel::ShmSignals) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (!node::Buffer::HasInstance(info[0])) return Nan::ThrowTypeError("shmSignals(buffer)");
  if (!self->shmIn_) return;
  self->TakeSignals(node::Buffer::Data(info[0]), node::Buffer::Length(info[0]));
}

void Channel::EndShmOut() {
  if (!shmOut_ || closed_) return;
  const size_t at = socketReqs_;
  shmOut_ = false;
  socketReqs_ = 0;
  // Sent, or the peer is gone (its EOF is for the reads): either way nothing waits.
  if (queue_.empty() && SendSignal(fd_, kEnd, -1) != -EAGAIN) return;
  // Behind what had to go to the socket first, ahead of the rest (part of whose first request
  // may be in the ring already: its remaining bytes follow the 'E').
  auto* req = new WriteReq();
  req->internal = true;
  req->owned.Reserve(1);
  req->owned.data()[0] = kEnd;
  req->owned.set_size(1);
  req->data = req->owned.data();
  req->length = 1;
  queue_.insert(queue_.begin() + static_cast<ptrdiff_t>(at), req);
  queued_bytes_ += 1;
  UpdatePoll();
}

// shmWriteStart(): our switch frame was just written or queued; what follows goes to the ring.
NAN_METHOD(Channel::ShmWriteStart) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed_ || self->shm_ == nullptr || self->shmOut_) return Nan::ThrowError("shmWriteStart: no rings to write");
  self->shmOut_ = true;
  self->socketReqs_ = self->queue_.size();
  self->UpdatePoll();
}

void Channel::StartIdle() {
  if (idleActive_ || closed_) return;
  idleActive_ = true;
  uv_idle_start(&idle_, OnIdle);
}

void Channel::StopIdle() {
  if (!idleActive_) return;
  idleActive_ = false;
  uv_idle_stop(&idle_);
}

void Channel::OnIdle(uv_idle_t* handle) {
  auto* self = static_cast<Channel*>(handle->data);
  Nan::HandleScope scope;
  if (self->shmIn_ && self->reading_) {
    self->ReadSome(false);  // stops the idle once it sleeps
  } else {
    self->StopIdle();  // started for a write waiting for room: one turn is enough
  }
  if (!self->closed_ && !self->queue_.empty()) self->WriteQueued(false);
}

// One signal byte on the socket, if the peer reads them as such: it has read our switch
// frame (readerAttached), and our bytes still go to the ring (after our 'E' they are frames).
// Returns 0, or the peer's EPIPE/ECONNRESET: a reader that is gone. EAGAIN is not a failure:
// wake-ups are already waiting for the peer.
int Channel::Signal(char byte) {
  if (!RingBound() || !shm_->ReaderAttached()) return 0;
  const ssize_t n = SendSignal(fd_, byte, -1);
  if (n == -EPIPE || n == -ECONNRESET) peerGone_ = static_cast<int>(n);
  return peerGone_;
}

// After publishing. A reader that closed (or was asleep when it died) fails the wake-up with
// EPIPE, and so the write, as on a socket. Until the peer reads the ring it sleeps without
// saying so: then a look at the socket (one poll, for the few writes of that one round trip)
// tells whether it is still there.
int Channel::WakeReader() {
  if (shm_->TakeReaderWaiting()) return Signal(kWake);
  if (!shm_->ReaderAttached() && peerGone_ == 0) {
    struct pollfd socket = {fd_, POLLOUT, 0};
    if (poll(&socket, 1, 0) == 1 && (socket.revents & (POLLHUP | POLLERR))) peerGone_ = -EPIPE;
  }
  return peerGone_;
}

// The carrier of a frame's descriptor, sent before the frame's bytes are published: a reader
// that sees the bytes finds the descriptor already in its socket.
int Channel::SendCarrier(int fd) {
  const ssize_t n = SendSignal(fd_, kCarrier, fd);
  if (n < 0) return static_cast<int>(n);
  shm_->CountFdSent();
  return 0;
}

// A frame with nothing queued ahead: as much as fits into the ring now. Returns the bytes
// taken (0 leaves it all to the queue, e.g. a descriptor that must wait) or -errno; clears
// *fd once its carrier went.
ssize_t Channel::PutNow(const char* data, size_t length, int* fd) {
  if (peerGone_ != 0) return peerGone_;
  if (*fd >= 0) {
    if (!shm_->ReaderAttached()) return 0;
    int err = SendCarrier(*fd);
    if (err == -EAGAIN) return 0;
    if (err < 0) return err;
    *fd = -1;
  }
  ssize_t n = shm_->Put(data, length);
  if (n < 0) return n;
  int err = WakeReader();
  if (err < 0) return err;
  // Part of it waits for room: ask the reader for a wake-up, unless room came meanwhile
  // (then a turn of the loop moves it; never a JS callback from inside send()).
  if (static_cast<size_t>(n) < length && shm_->AnnounceWriterWaiting()) StartIdle();
  return n;
}

// Moves queued requests into the ring as room allows. Returns the requests completed.
size_t Channel::FlushRing(int* err) {
  size_t completed = 0;
  bool published = false;
  *err = peerGone_;
  if (*err != 0) return 0;
  while (!queue_.empty() && RingBound()) {
    WriteReq* req = queue_.front();
    if (req->fd >= 0) {
      if (!shm_->ReaderAttached()) break;  // its Signal() on attaching brings us back
      int r = SendCarrier(req->fd);
      if (r == -EAGAIN) break;  // UpdatePoll waits for the socket to take it
      if (r < 0) {
        *err = r;
        break;
      }
      req->fd = -1;
    }
    ssize_t n = shm_->Put(req->data + req->offset, req->length - req->offset);
    if (n < 0) {
      *err = static_cast<int>(n);
      break;
    }
    published = published || n > 0;
    req->offset += static_cast<size_t>(n);
    queued_bytes_ -= static_cast<size_t>(n);
    if (req->offset < req->length) {
      if (!shm_->AnnounceWriterWaiting()) break;
      continue;
    }
    req->buffer.Reset();
    delete req;
    queue_.pop_front();
    completed++;
  }
  if (published && *err == 0) *err = WakeReader();
  return completed;
}

// Reads the socket's signals: delivers descriptors, notes EOF or an error for later.
// Returns false when a callback closed the channel.
bool Channel::DrainSignals() {
  char bytes[256];
  for (int i = 0; i < kSignalReads && shmEnd_ == 0 && !shmResumed_; i++) {
    int fd = -1;
    bool truncated = false;
    ssize_t n = ReceiveWithFd(fd_, bytes, sizeof(bytes), &fd, &truncated);
    if (n == -EAGAIN) break;
    if (n <= 0) {
      shmEnd_ = n == 0 ? UV_EOF : static_cast<int>(n);
      // The peer is gone (or closed): our reads go on to the ring's end, but a write from now
      // on would land in a ring nobody reads. It fails as a socket write to a closed peer does.
      if (peerGone_ == 0) peerGone_ = n == -ECONNRESET ? -ECONNRESET : -EPIPE;
      break;
    }
    TakeSignals(bytes, static_cast<size_t>(n));
    if (fd >= 0 || truncated) {
      // Ahead of the frame it belongs to, as on the socket: the decoder keeps it for that frame.
      EmitBytes(0, fd, truncated ? UV_ENOBUFS : 0);
      if (closed_) return false;
    }
  }
  return true;
}

void Channel::TakeSignals(const char* bytes, size_t n) {
  for (size_t i = 0; i < n && shmEnd_ == 0; i++) {
    if (bytes[i] == kCarrier) {
      fdsReceived_++;
    } else if (bytes[i] == kEnd) {
      // What follows is the peer's frames again, once the ring is read to its end.
      shmResumed_ = true;
      resumeBytes_.assign(bytes + i + 1, n - i - 1);
      EndShmOut();
      return;
    } else if (bytes[i] != kWake) {
      shmEnd_ = kProtocolError;  // not a signal: reported once the ring is drained
    }
  }
}

// At exit (flushSync): reads and drops the socket's signals. False at EOF or on an error.
bool Channel::DiscardSignals() {
  char bytes[256];
  for (int i = 0; i < kSignalReads; i++) {
    int fd = -1;
    bool truncated = false;
    ssize_t n = ReceiveWithFd(fd_, bytes, sizeof(bytes), &fd, &truncated);
    if (fd >= 0) close(fd);
    if (n == -EAGAIN) return true;
    if (n <= 0) return false;
  }
  return true;
}

// ReadSome for a channel whose incoming bytes come from the ring. Returns true when the
// peer's bytes continue on the socket (its 'E'), for ReadSome to read on.
bool Channel::ReadShm(int64_t wakeupEnd, size_t readSize, bool socketReadable) {
  // Signals and EOF make the socket readable: the idle handle's turns need not look (a
  // system call saved per turn), unless a descriptor is due.
  bool checkSocket = socketReadable;
  int reads = 0;
  while (reading_ && !closed_) {
    // The tail first, then the carriers: one counted for a frame below this tail is in the
    // socket now, and is received before the frame's bytes are delivered. (Checked before
    // the tail, a carrier counted in between was missed: its frame came without it.)
    const uint64_t published = shm_->Published();
    if (checkSocket || shm_->FdsPending(fdsReceived_)) {
      checkSocket = false;
      if (!DrainSignals()) return false;
    }
    ssize_t n = shm_->Get(ReadAreaData(), readSize, published);
    if (n < 0) {
      // The peer wrote impossible indices into the mapping: nothing after can be trusted.
      EndReading(kProtocolError);
      return false;
    }
    if (n > 0) {
      if (shm_->TakeWriterWaiting()) Signal(kWake);
      EmitBytes(static_cast<size_t>(n), -1, 0);
      if (!readAll_ && (++reads >= kReadsPerWakeup || NowNs() >= wakeupEnd)) {
        StartIdle();  // the rest on the loop's next turn, as a level-triggered poll would
        return false;
      }
      continue;
    }
    if (shmResumed_) {
      // The ring is read to the peer's 'E': the socket again, for good.
      shmIn_ = false;
      StopIdle();
      return true;
    }
    if (shmEnd_ != 0) {
      // Everything the peer published before its end (or a byte that is no signal) has been
      // delivered.
      EndReading(shmEnd_);
      return false;
    }
    if (!readAll_ && NowNs() < wakeupEnd && AwaitMore()) {
      reads = 0;
      continue;
    }
    if (shm_->AnnounceReaderWaiting()) continue;  // bytes came while we announced the sleep
    StopIdle();
    return false;  // asleep on the socket: the writer's 'W' wakes us
  }
  return false;
}

}  // namespace deka
