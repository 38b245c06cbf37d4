// Why the rings need sealed memory (docs/platforms.md): what a peer holding our shared-memory
// object can do to our mapping of it. Linux only (it compares POSIX shm with a sealed memfd).
// The peer is a forked child holding the descriptor, as after SCM_RIGHTS.
//   1. shm_open + shm_unlink + a size check (fstat says the full size), then the peer's
//      ftruncate(fd, 0): our next access to the mapping raises SIGBUS.
//   2. The same object passed read-only: the peer cannot ftruncate that descriptor, but on
//      Linux it reopens /proc/self/fd/N read-write and truncates: SIGBUS again.
//   3. A memfd sealed with F_SEAL_SHRINK | F_SEAL_GROW: the peer's ftruncate fails (EPERM)
//      and the mapping stays whole.
// Prints one line per case; exit 0 when every case behaved as stated, 1 otherwise.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr size_t kSize = 4096 + 2 * 1024 * 1024;  // the rings' mapping size
sigjmp_buf jump;
volatile sig_atomic_t faulted = 0;

void OnBus(int) {
  faulted = 1;
  siglongjmp(jump, 1);
}

// Runs `peer` in a child on `fd`; returns its exit status (0: its ftruncate succeeded).
template <typename F>
int InPeer(F peer) {
  pid_t pid = fork();
  if (pid == 0) _exit(peer());
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

// Touches every page of the mapping; true if that raised SIGBUS.
bool Touch(volatile char* base) {
  faulted = 0;
  if (sigsetjmp(jump, 1) == 0) {
    for (size_t i = 0; i < kSize; i += 4096) base[i] = 1;
  }
  return faulted != 0;
}

char* Map(int fd) {
  void* p = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  return p == MAP_FAILED ? nullptr : static_cast<char*>(p);
}

}  // namespace

int main() {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnBus;
  sigaction(SIGBUS, &sa, nullptr);
  bool ok = true;

  {
    char name[64];
    snprintf(name, sizeof(name), "/deka-ipc-shrink-%d", getpid());
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0 || ftruncate(fd, kSize) != 0) return perror("shm_open"), 1;
    shm_unlink(name);
    struct stat st;
    fstat(fd, &st);
    char* base = Map(fd);
    const int peer = InPeer([&] { return ftruncate(fd, 0) == 0 ? 0 : 1; });
    const bool bus = Touch(base);
    printf("1. shm_open + shm_unlink, fstat said %lld bytes; the peer's ftruncate(fd, 0) %s; our next access: %s\n",
           static_cast<long long>(st.st_size), peer == 0 ? "succeeded" : "failed", bus ? "SIGBUS" : "fine");
    ok = ok && peer == 0 && bus && st.st_size == static_cast<off_t>(kSize);
    munmap(base, kSize);
    close(fd);
  }

  {
    char name[64];
    snprintf(name, sizeof(name), "/deka-ipc-shrink-ro-%d", getpid());
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0 || ftruncate(fd, kSize) != 0) return perror("shm_open"), 1;
    int readOnly = shm_open(name, O_RDONLY, 0);
    shm_unlink(name);
    char* base = Map(fd);
    const int peer = InPeer([&] {
      if (ftruncate(readOnly, 0) == 0) return 2;  // not expected: a read-only descriptor
      char path[64];
      snprintf(path, sizeof(path), "/proc/self/fd/%d", readOnly);
      int again = open(path, O_RDWR);
      return again >= 0 && ftruncate(again, 0) == 0 ? 0 : 1;
    });
    const bool bus = Touch(base);
    printf("2. passed read-only: the peer's ftruncate on it fails, its reopen of /proc/self/fd/N read-write and "
           "ftruncate %s; our next access: %s\n", peer == 0 ? "succeeded" : peer == 2 ? "(ftruncate on the read-only fd succeeded!)" : "failed",
           bus ? "SIGBUS" : "fine");
    ok = ok && peer == 0 && bus;
    munmap(base, kSize);
    close(fd);
    close(readOnly);
  }

  {
    int fd = memfd_create("deka-ipc-shrink", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0 || ftruncate(fd, kSize) != 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
      return perror("memfd"), 1;
    }
    char* base = Map(fd);
    int err = 0;
    const int peer = InPeer([&] { return ftruncate(fd, 0) == 0 ? 0 : errno == EPERM ? 1 : 2; });
    err = peer == 1 ? EPERM : 0;
    const bool bus = Touch(base);
    printf("3. sealed memfd: the peer's ftruncate(fd, 0) %s; our next access: %s\n",
           peer == 0 ? "succeeded" : err == EPERM ? "failed with EPERM" : "failed otherwise", bus ? "SIGBUS" : "fine");
    ok = ok && peer == 1 && !bus;
    munmap(base, kSize);
    close(fd);
  }
  printf("shm-shrink: %s\n", ok ? "as stated" : "NOT as stated");
  return ok ? 0 : 1;
}
