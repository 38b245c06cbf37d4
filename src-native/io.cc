#include "io.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform.h"

namespace deka {

int MakeSocketPair(int fds[2]) {
  // CLOEXEC on both ends: the child end reaches its child only through an explicit
  // dup2 onto the requested stdio index, never by leaking into other spawns.
  return PlatformSocketPair(fds);
}

ssize_t SendWithFd(int sock, const struct iovec* iov, int iovcnt, int fd) {
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = const_cast<struct iovec*>(iov);
  msg.msg_iovlen = iovcnt;

  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  if (fd >= 0) {
    memset(&control, 0, sizeof(control));
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  }

  // Without SIGPIPE: a vanished peer is an EPIPE error to report.
  return PlatformSend(sock, &msg);
}

ssize_t ReceiveWithFd(int sock, char* buf, size_t len, int* fd, bool* truncated) {
  *fd = -1;
  *truncated = false;
  struct iovec iov = {buf, len};
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  // Room for several descriptors so that a misbehaving peer's extras can be closed
  // rather than silently truncated.
  union {
    char buf[CMSG_SPACE(sizeof(int) * 16)];
    struct cmsghdr align;
  } control;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof(control.buf);

  // Received descriptors are close-on-exec before this sees them.
  ssize_t n = PlatformReceive(sock, &msg);
  if (n < 0) return n;

  if (msg.msg_flags & MSG_CTRUNC) *truncated = true;
  for (struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg != nullptr; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
    if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; i++) {
      int received;
      memcpy(&received, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
      if (*fd < 0) {
        *fd = received;
      } else {
        close(received);
      }
    }
  }
  return n;
}

}  // namespace deka
