#include "shm-ring.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <new>

namespace deka {

namespace {

// Each ring holds what a socket's buffer held (SO_SNDBUF is 1 MiB, see channel.cc): a window
// of large messages in flight. Pages are only committed once the ring has cycled over them.
constexpr uint64_t kRingSize = 1024 * 1024;
constexpr uint32_t kMagic = 0x444b4950;  // "DKIP"
constexpr uint32_t kVersion = 1;

struct Header {
  uint32_t magic;
  uint32_t version;
  uint64_t ringSize;
  RingControl rings[2];
};

constexpr size_t kDataOffset = 4096;
static_assert(sizeof(Header) <= kDataOffset, "the header fits its page");
static_assert(std::atomic<uint64_t>::is_always_lock_free, "shared atomics must be lock-free");
constexpr size_t kMappingSize = kDataOffset + 2 * kRingSize;

// Copies between a byte ring and flat memory, across the end of the ring when needed.
void CopyIn(char* ring, uint64_t at, const char* from, size_t n) {
  const size_t pos = at % kRingSize;
  const size_t first = std::min<size_t>(n, kRingSize - pos);
  memcpy(ring + pos, from, first);
  memcpy(ring, from + first, n - first);
}

void CopyOut(const char* ring, uint64_t at, char* to, size_t n) {
  const size_t pos = at % kRingSize;
  const size_t first = std::min<size_t>(n, kRingSize - pos);
  memcpy(to, ring + pos, first);
  memcpy(to + first, ring, n - first);
}

}  // namespace

SharedRings::SharedRings(char* base, bool creator) : base_(base) {
  Header* header = reinterpret_cast<Header*>(base);
  char* data = base + kDataOffset;
  out_ = &header->rings[creator ? 0 : 1];
  outData_ = data + (creator ? 0 : kRingSize);
  in_ = &header->rings[creator ? 1 : 0];
  inData_ = data + (creator ? kRingSize : 0);
}

SharedRings::~SharedRings() { munmap(base_, kMappingSize); }

int SharedRings::Create(SharedRings** out) {
  int fd = memfd_create("deka-ipc-rings", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return -errno;
  // Sealed at its size: the peer can neither shrink it under our mapping (SIGBUS on the next
  // access) nor grow it.
  if (ftruncate(fd, kMappingSize) != 0 ||
      fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    int err = errno;
    close(fd);
    return -err;
  }
  void* base = mmap(nullptr, kMappingSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) {
    int err = errno;
    close(fd);
    return -err;
  }
  // A fresh memfd reads as zeros: every index and flag starts at 0.
  Header* header = static_cast<Header*>(base);
  header->magic = kMagic;
  header->version = kVersion;
  header->ringSize = kRingSize;
  *out = new SharedRings(static_cast<char*>(base), true);
  return fd;
}

int SharedRings::Attach(int fd, SharedRings** out) {
  struct stat st;
  if (fstat(fd, &st) != 0) return -errno;
  if (!S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) != kMappingSize) return -EPROTO;
  int seals = fcntl(fd, F_GET_SEALS);
  if (seals < 0 || (seals & (F_SEAL_SHRINK | F_SEAL_GROW)) != (F_SEAL_SHRINK | F_SEAL_GROW)) return -EPROTO;
  void* base = mmap(nullptr, kMappingSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) return -errno;
  const Header* header = static_cast<const Header*>(base);
  if (header->magic != kMagic || header->version != kVersion || header->ringSize != kRingSize) {
    munmap(base, kMappingSize);
    return -EPROTO;
  }
  *out = new SharedRings(static_cast<char*>(base), false);
  return 0;
}

// Writer side. The tail is published with release order: a reader that sees it sees the
// bytes. The wake-up handshake (reader: waiting = 1, then look at the tail; writer: tail,
// then look at waiting) needs sequential consistency on both sides, so that one of the two
// always sees the other's store and no wake-up is lost.

ssize_t SharedRings::Room() const {
  const uint64_t used = tail_ - out_->head.load(std::memory_order_acquire);
  if (used > kRingSize) return -EPROTO;
  return static_cast<ssize_t>(kRingSize - used);
}

ssize_t SharedRings::Put(const char* data, size_t n) {
  const ssize_t room = Room();
  if (room <= 0) return room;
  const size_t take = std::min(n, static_cast<size_t>(room));
  CopyIn(outData_, tail_, data, take);
  tail_ += take;
  out_->tail.store(tail_, std::memory_order_seq_cst);
  return static_cast<ssize_t>(take);
}

bool SharedRings::TakeReaderWaiting() {
  return out_->readerWaiting.load(std::memory_order_seq_cst) != 0 &&
         out_->readerWaiting.exchange(0, std::memory_order_seq_cst) != 0;
}

bool SharedRings::AnnounceWriterWaiting() {
  out_->writerWaiting.store(1, std::memory_order_seq_cst);
  const ssize_t room = Room();
  if (room != 0) {
    out_->writerWaiting.store(0, std::memory_order_relaxed);
    return true;
  }
  return false;
}

void SharedRings::CountFdSent() { out_->fdsSent.store(++fdsSent_, std::memory_order_release); }

bool SharedRings::ReaderAttached() const { return out_->readerAttached.load(std::memory_order_acquire) != 0; }

// Reader side.

ssize_t SharedRings::Get(char* dst, size_t max) {
  const uint64_t available = in_->tail.load(std::memory_order_acquire) - head_;
  if (available > kRingSize) return -EPROTO;
  const size_t take = std::min<size_t>(available, max);
  if (take == 0) return 0;
  CopyOut(inData_, head_, dst, take);
  head_ += take;
  in_->head.store(head_, std::memory_order_seq_cst);
  return static_cast<ssize_t>(take);
}

bool SharedRings::HasData() const { return in_->tail.load(std::memory_order_acquire) != head_; }

bool SharedRings::FdsPending(uint64_t received) const {
  return in_->fdsSent.load(std::memory_order_acquire) > received;
}

bool SharedRings::TakeWriterWaiting() {
  return in_->writerWaiting.load(std::memory_order_seq_cst) != 0 &&
         in_->writerWaiting.exchange(0, std::memory_order_seq_cst) != 0;
}

bool SharedRings::AnnounceReaderWaiting() {
  in_->readerWaiting.store(1, std::memory_order_seq_cst);
  if (in_->tail.load(std::memory_order_seq_cst) != head_) {
    in_->readerWaiting.store(0, std::memory_order_relaxed);
    return true;
  }
  return false;
}

void SharedRings::MarkAttached() { in_->readerAttached.store(1, std::memory_order_release); }

void SharedRings::MarkClosed() { in_->readerWaiting.store(1, std::memory_order_seq_cst); }

}  // namespace deka
