#include "socket-transport.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "io.h"

namespace deka {

namespace {

// How many queued requests one sendmsg may gather.
constexpr int kMaxIov = 256;

}  // namespace

ssize_t SocketTransport::WriteNow(const char* data, size_t length, int* fd) {
  struct iovec iov = {const_cast<char*>(data), length};
  ssize_t n = SendWithFd(fd_, &iov, 1, *fd);
  if (n == -EAGAIN) return 0;
  if (n > 0) *fd = -1;  // it went with the first byte
  return n;
}

size_t SocketTransport::WriteQueued(WriteQueue& queue, size_t count, int* err) {
  size_t completed = 0;
  *err = 0;
  while (!queue.empty() && count > 0) {
    // Gather from the head; a request carrying a descriptor starts its own sendmsg so the
    // descriptor is attached to that frame's first byte.
    struct iovec iov[kMaxIov];
    int gathered = 0;
    int fd = queue.front()->fd;
    for (auto it = queue.reqs.begin(); it != queue.reqs.end() && gathered < kMaxIov; ++it) {
      if (static_cast<size_t>(gathered) == count) break;
      WriteReq* req = *it;
      if (gathered > 0 && req->fd >= 0) break;
      iov[gathered].iov_base = const_cast<char*>(req->data + req->offset);
      iov[gathered].iov_len = req->length - req->offset;
      gathered++;
    }
    ssize_t n = SendWithFd(fd_, iov, gathered, fd);
    if (n == -EAGAIN) break;
    if (n < 0) {
      *err = static_cast<int>(n);
      break;
    }
    queue.front()->fd = -1;  // it went with the first byte
    queue.bytes -= n;
    size_t left = static_cast<size_t>(n);
    while (!queue.empty()) {
      WriteReq* req = queue.front();
      size_t rest = req->length - req->offset;
      if (left < rest) {
        req->offset += left;
        break;
      }
      left -= rest;
      if (queue.PopFront()) completed++;
      if (count != SIZE_MAX) count--;
      if (left == 0) break;
    }
  }
  return completed;
}

short SocketTransport::ExitWaitEvents() const { return POLLOUT; }

ssize_t SocketTransport::Receive(char* buf, size_t length, int* fd, bool* truncated) {
  return ReceiveWithFd(fd_, buf, length, fd, truncated);
}

bool SocketTransport::Readable() {
  char byte;
  return recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT) >= 0 ||
         (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

}  // namespace deka
