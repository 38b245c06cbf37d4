// platform.h in plain POSIX: macOS and the BSDs, and Linux built with DEKA_IPC_PORTABLE=1 so
// that this file is compiled and tested here too (docs/platforms.md says what was verified
// where). Where Linux has a flag, this takes a step more; where it has sealed memfds, this has
// no rings: the channel stays on the socket.
#include "platform.h"
#if defined(__linux__)
#include "platform-procfs.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

namespace deka {

namespace {

void SetCloexec(int fd) { fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC); }

#if defined(SO_NOSIGPIPE)
// macOS and the BSDs but OpenBSD: the socket itself never raises SIGPIPE.
void NoSigpipe(int fd) {
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof(on));
}
#endif

ssize_t SendOnce(int sock, const struct msghdr* msg) {
  // One block without a descriptor (most frames): send() copies in less than sendmsg().
  const bool plain = msg->msg_controllen == 0 && msg->msg_iovlen == 1;
  ssize_t n;
  do {
    n = plain ? send(sock, msg->msg_iov[0].iov_base, msg->msg_iov[0].iov_len, MSG_DONTWAIT)
              : sendmsg(sock, msg, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  return n < 0 ? (errno == EWOULDBLOCK ? -EAGAIN : -errno) : n;
}

}  // namespace

int PlatformSocketPair(int fds[2]) {
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return -errno;
  // Nothing else in this process spawns between the two calls on this thread; another
  // thread's spawn could (libuv and Node take the same risk on these systems).
  for (int i = 0; i < 2; i++) {
    SetCloexec(fds[i]);
#if defined(SO_NOSIGPIPE)
    NoSigpipe(fds[i]);  // an option of the socket: the child's end keeps it across exec
#endif
  }
  return 0;
}

void PlatformAdoptSocket(int fd) {
#if defined(SO_NOSIGPIPE)
  NoSigpipe(fd);  // it may come from a parent that is not ours
#else
  (void)fd;
#endif
}

ssize_t PlatformSend(int sock, const struct msghdr* msg) {
#if defined(SO_NOSIGPIPE)
  // Set on the socket (PlatformSocketPair, PlatformAdoptSocket).
  return SendOnce(sock, msg);
#else
  // No flag and no option (OpenBSD; Linux when built portable, which tests this): the write
  // runs with SIGPIPE blocked on this thread, where the kernel directs a write's SIGPIPE,
  // and a SIGPIPE it raised is taken off the thread before the mask is restored. One that
  // was pending already belongs to someone else and is left alone.
  sigset_t pipe, old;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  sigset_t pending;
  sigpending(&pending);
  const bool wasPending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe, &old);
  ssize_t n = SendOnce(sock, msg);
  if (n == -EPIPE && !wasPending) {
    sigpending(&pending);
    int taken;
    // Pending now, so sigwait returns at once (sigtimedwait is missing on macOS and OpenBSD).
    if (sigismember(&pending, SIGPIPE) == 1) sigwait(&pipe, &taken);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return n;
#endif
}

ssize_t PlatformReceive(int sock, struct msghdr* msg) {
  ssize_t n;
  do {
    n = recvmsg(sock, msg, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno == EWOULDBLOCK ? -EAGAIN : -errno;
  // No MSG_CMSG_CLOEXEC: every descriptor that came is made close-on-exec before anything
  // else looks at it.
  for (struct cmsghdr* cmsg = CMSG_FIRSTHDR(msg); cmsg != nullptr; cmsg = CMSG_NXTHDR(msg, cmsg)) {
    if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
    const size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; i++) {
      int received;
      memcpy(&received, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
      SetCloexec(received);
    }
  }
  return n;
}

int PlatformUsableCpus() {
  // No affinity mask to ask for here: the CPUs online.
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

// A POSIX shared-memory object can be truncated by any peer that holds a writable descriptor
// of it, and our mapping then faults (SIGBUS) on the next access; there are no seals to stop
// it (docs/platforms.md shows it). So no rings here: the channel stays on the socket.
const bool kPlatformSealedMemory = false;

int PlatformCreateSealedMemory(size_t) { return -ENOSYS; }

int PlatformCheckSealedMemory(int, size_t) { return -ENOSYS; }

#if defined(__linux__)
// Linux built portable keeps /proc: it is how this path is tested, and the exit rule with it.
ProcessSample PlatformSampleProcess(int pid) { return ProcfsSampleProcess(pid); }
#else
// macOS (proc_pidinfo) and the BSDs (kvm_getprocs / sysctl KERN_PROC) could answer; until
// someone writes and runs that there, the exit flush uses its stall rule on these systems.
ProcessSample PlatformSampleProcess(int) { return ProcessSample(); }
#endif

}  // namespace deka
