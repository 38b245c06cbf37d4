// The socket as a transport: one end of a socketpair, written with sendmsg (a descriptor
// rides as SCM_RIGHTS on its frame's first byte) and read with recvmsg.
#pragma once

#include "transport.h"

namespace deka {

class SocketTransport : public Transport {
 public:
  explicit SocketTransport(int fd) : fd_(fd) {}
  int fd() const { return fd_; }

  ssize_t WriteNow(const char* data, size_t length, int* fd) override;
  size_t WriteQueued(WriteQueue& queue, size_t count, int* err) override;
  bool WaitsForSocket(const WriteQueue& queue) const override { return !queue.empty(); }
  bool BeforeExitWrite() override { return true; }
  short ExitWaitEvents() const override;

  // One recvmsg (io.h's ReceiveWithFd).
  ssize_t Receive(char* buf, size_t length, int* fd, bool* truncated);
  // Whether a read would not wait: bytes, EOF or an error (a peek, for the spin).
  bool Readable();

 private:
  int fd_;
};

}  // namespace deka
