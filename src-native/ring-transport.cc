#include "ring-transport.h"

#include <errno.h>
#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

#include "io.h"

namespace deka {

namespace {

// Signals read per pass at exit; a peer sending nothing but signals cannot hold us beyond it.
constexpr int kSignalReads = 16;

// One signal byte on the socket, with a descriptor riding on it or none: SendWithFd's answer.
ssize_t SendSignal(int sock, char byte, int fd) {
  struct iovec iov = {&byte, 1};
  return SendWithFd(sock, &iov, 1, fd);
}

}  // namespace

RingTransport::~RingTransport() {
  delete shm_;
  if (memfd_ >= 0) close(memfd_);
}

int RingTransport::Wake(bool ours) {
  if (!ours || !shm_->ReaderAttached()) return 0;
  const ssize_t n = SendSignal(sock_, kWake, -1);
  // EAGAIN is not a failure: wake-ups are already waiting for the peer.
  if (n == -EPIPE || n == -ECONNRESET) peerGone_ = static_cast<int>(n);
  return peerGone_;
}

ssize_t RingTransport::SendEnd() { return SendSignal(sock_, kEnd, -1); }

// After publishing. A reader that closed (or was asleep when it died) fails the wake-up with
// EPIPE, and so the write, as on a socket. Until the peer reads the ring it sleeps without
// saying so: then a look at the socket (one poll, for the few writes of that one round trip)
// tells whether it is still there.
int RingTransport::WakeReader() {
  if (shm_->TakeReaderWaiting()) return Wake(true);
  if (!shm_->ReaderAttached() && peerGone_ == 0) {
    struct pollfd socket = {sock_, POLLOUT, 0};
    if (poll(&socket, 1, 0) == 1 && (socket.revents & (POLLHUP | POLLERR))) peerGone_ = -EPIPE;
  }
  return peerGone_;
}

// The carrier of a frame's descriptor, sent before the frame's bytes are published: a reader
// that sees the bytes finds the descriptor already in its socket.
int RingTransport::SendCarrier(int fd) {
  const ssize_t n = SendSignal(sock_, kCarrier, fd);
  if (n < 0) return static_cast<int>(n);
  shm_->CountFdSent();
  return 0;
}

// As much as fits into the ring now; 0 leaves it all to the queue, e.g. a descriptor that
// must wait for the reader to attach.
ssize_t RingTransport::WriteNow(const char* data, size_t length, int* fd) {
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
  if (static_cast<size_t>(n) < length && shm_->AnnounceWriterWaiting()) wantsTurn_ = true;
  return n;
}

// Moves queued requests into the ring as room allows.
size_t RingTransport::WriteQueued(WriteQueue& queue, size_t count, int* err) {
  size_t completed = 0;
  bool published = false;
  *err = peerGone_;
  if (*err != 0) return 0;
  while (!queue.empty() && count > 0) {
    WriteReq* req = queue.front();
    if (req->fd >= 0) {
      if (!shm_->ReaderAttached()) break;  // its wake-up on attaching brings us back
      int r = SendCarrier(req->fd);
      if (r == -EAGAIN) break;  // WaitsForSocket: the poll waits for the socket to take it
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
    queue.bytes -= static_cast<size_t>(n);
    if (req->offset < req->length) {
      if (!shm_->AnnounceWriterWaiting()) break;
      continue;
    }
    if (queue.PopFront()) completed++;
    if (count != SIZE_MAX) count--;
  }
  if (published && *err == 0) *err = WakeReader();
  return completed;
}

bool RingTransport::WaitsForSocket(const WriteQueue& queue) const {
  // A descriptor whose carrier byte did not fit.
  return !queue.empty() && queue.front()->fd >= 0 && shm_->ReaderAttached();
}

bool RingTransport::BeforeExitWrite() {
  char bytes[256];
  for (int i = 0; i < kSignalReads; i++) {
    int fd = -1;
    bool truncated = false;
    ssize_t n = ReceiveWithFd(sock_, bytes, sizeof(bytes), &fd, &truncated);
    if (fd >= 0) close(fd);
    if (n == -EAGAIN) return true;
    if (n <= 0) return false;
  }
  return true;
}

// A byte from the peer says it made room.
short RingTransport::ExitWaitEvents() const { return POLLIN; }

RingTransport::Said RingTransport::TakeSignals(const char* bytes, size_t n, size_t* after) {
  for (size_t i = 0; i < n; i++) {
    if (bytes[i] == kCarrier) {
      fdsReceived_++;
    } else if (bytes[i] == kEnd) {
      *after = i + 1;
      return Said::kEnd;
    } else if (bytes[i] != kWake) {
      return Said::kNoSignal;
    }
  }
  return Said::kSignals;
}

void RingTransport::SocketEnded(ssize_t n) {
  // The peer is gone (or closed): reads go on to the ring's end, but a write from now on
  // would land in a ring nobody reads. It fails as a socket write to a closed peer does.
  if (peerGone_ == 0) peerGone_ = n == -ECONNRESET ? -ECONNRESET : -EPIPE;
}

}  // namespace deka
