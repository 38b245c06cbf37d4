// Everything the native code asks of the operating system that differs between systems, and
// nothing else: one implementation per family, chosen by binding.gyp.
//   platform-linux.cc  Linux: the flags that do it in one call (SOCK_CLOEXEC, MSG_NOSIGNAL,
//                      MSG_CMSG_CLOEXEC), sealed memfds for the shared rings, the affinity mask.
//   platform-posix.cc  macOS and the BSDs (and Linux built with DEKA_IPC_PORTABLE=1): plain
//                      POSIX, a step more per call where a flag is missing, and no rings.
// The rest of src-native/ uses only what every one of them has (POSIX sockets, poll, mmap).
// No libuv, no V8 here: the ring's stress test (test/native/) links it without Node.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct msghdr;

namespace deka {

// A connected AF_UNIX stream pair, both ends close-on-exec (the child end reaches its child
// only through an explicit dup onto the stdio index, never by leaking into other spawns).
// Returns 0 or -errno.
int PlatformSocketPair(int fds[2]);

// What a socket we drive but did not make (the channel's fd from a parent) needs before its
// first send, beyond CLOEXEC and O_NONBLOCK: SO_NOSIGPIPE where that is how it is done.
void PlatformAdoptSocket(int fd);

// One sendmsg that neither blocks nor raises SIGPIPE: a vanished peer is -EPIPE to report.
// Returns bytes sent or -errno (-EAGAIN for a full socket; EINTR is retried).
ssize_t PlatformSend(int sock, const struct msghdr* msg);

// One recvmsg that does not block; every descriptor that came with the bytes is close-on-exec
// before this returns (no spawn on another thread can inherit it). Returns bytes read, 0 at
// EOF, or -errno (-EAGAIN when nothing is there; EINTR is retried).
ssize_t PlatformReceive(int sock, struct msghdr* msg);

// How many CPUs this process may run on (its affinity mask where the system has one).
int PlatformUsableCpus();

// What the system says of another process, for the exit flush's question "is the peer at the
// other end running?" (peer-activity.h holds the rule that uses it).
struct ProcessSample {
  bool known = false;     // false: no way to tell here; the caller falls back to its stall rule
  bool gone = false;      // no such process, or a zombie
  bool runnable = false;  // running or waiting for a core, or in uninterruptible I/O
  bool stopped = false;   // SIGSTOP / a debugger
  uint64_t cpuTicks = 0;  // CPU time of its main thread (the one that reads the channel)
};

// Linux (both builds): /proc/<pid>/task/<pid>/stat (platform-procfs.h). Elsewhere `known` is
// false: macOS would need proc_pidinfo and the BSDs kvm/sysctl, not written yet.
ProcessSample PlatformSampleProcess(int pid);

// Whether this build has shared memory a peer cannot shrink under our mapping: the rings
// exist only then (see docs/platforms.md for why nothing weaker will do).
extern const bool kPlatformSealedMemory;

// A new shared-memory object of `size` zero bytes that nobody can shrink or grow, close-on-exec.
// Returns its descriptor, or -errno (-ENOSYS without kPlatformSealedMemory).
int PlatformCreateSealedMemory(size_t size);

// Whether `fd` is such an object, of exactly `size` bytes: 0, or -EPROTO for anything else
// (-ENOSYS without kPlatformSealedMemory).
int PlatformCheckSealedMemory(int fd, size_t size);

}  // namespace deka
