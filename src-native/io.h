// Socket I/O primitives shared by the channel: sendmsg/recvmsg with an optional file
// descriptor riding as SCM_RIGHTS, and socketpair creation. No libuv, no V8 here.
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

namespace deka {

// Creates a connected AF_UNIX stream pair, both ends close-on-exec. Returns 0 or -errno.
int MakeSocketPair(int fds[2]);

// One non-blocking sendmsg. `fd` >= 0 is attached to the first byte. Returns bytes sent
// or -errno (-EAGAIN when the socket is full).
ssize_t SendWithFd(int sock, const struct iovec* iov, int iovcnt, int fd);

// One non-blocking recvmsg into buf. *fd receives the first descriptor that came with the
// bytes (close-on-exec) or -1; any further descriptors are closed, since a frame carries
// at most one. *truncated is set when ancillary data was cut off (MSG_CTRUNC).
// Returns bytes read, 0 at EOF, or -errno.
ssize_t ReceiveWithFd(int sock, char* buf, size_t len, int* fd, bool* truncated);

}  // namespace deka
