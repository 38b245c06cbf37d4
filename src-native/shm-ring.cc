#include "shm-ring.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <new>

#include "platform.h"

namespace deka {

namespace {

constexpr uint32_t kMagic = 0x444b4950;  // "DKIP"
constexpr uint32_t kVersion = 1;

static_assert(sizeof(RingHeader) <= kRingDataOffset, "the header fits its page");
static_assert(std::atomic<uint64_t>::is_always_lock_free, "shared atomics must be lock-free");
static_assert(std::atomic<uint32_t>::is_always_lock_free, "shared atomics must be lock-free");

// Copies between a byte ring and flat memory, across the end of the ring when needed. `n` is
// at most kRingSize (the callers' checks): every byte touched is inside the ring.
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

void Format(void* base) {
  // Zero bytes already: every index and flag starts at 0.
  RingHeader* header = static_cast<RingHeader*>(base);
  header->magic = kMagic;
  header->version = kVersion;
  header->ringSize = kRingSize;
}

}  // namespace

SharedRings::SharedRings(char* base, bool creator, bool owned) : base_(base), owned_(owned) {
  RingHeader* header = reinterpret_cast<RingHeader*>(base);
  char* data = base + kRingDataOffset;
  out_ = &header->rings[creator ? 0 : 1];
  outData_ = data + (creator ? 0 : kRingSize);
  in_ = &header->rings[creator ? 1 : 0];
  inData_ = data + (creator ? kRingSize : 0);
}

SharedRings::~SharedRings() {
  if (owned_) munmap(base_, kRingMappingSize);
}

int SharedRings::Create(SharedRings** out) {
  int fd = PlatformCreateSealedMemory(kRingMappingSize);
  if (fd < 0) return fd;
  void* base = mmap(nullptr, kRingMappingSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) {
    int err = errno;
    close(fd);
    return -err;
  }
  // The header is written before the descriptor leaves (in a later sendmsg): the peer's
  // mmap after its recvmsg sees it, the system calls order it.
  Format(base);
  *out = new SharedRings(static_cast<char*>(base), true, true);
  return fd;
}

int SharedRings::Attach(int fd, SharedRings** out) {
  int err = PlatformCheckSealedMemory(fd, kRingMappingSize);
  if (err != 0) return err;
  void* base = mmap(nullptr, kRingMappingSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) return -errno;
  // Read once, here; nothing later trusts them (kRingSize is ours, not the header's).
  const RingHeader* header = static_cast<const RingHeader*>(base);
  if (header->magic != kMagic || header->version != kVersion || header->ringSize != kRingSize) {
    munmap(base, kRingMappingSize);
    return -EPROTO;
  }
  *out = new SharedRings(static_cast<char*>(base), false, true);
  return 0;
}

SharedRings* SharedRings::Over(void* memory, bool creator) {
  if (creator) Format(memory);
  return new SharedRings(static_cast<char*>(memory), creator, false);
}

// The orders, once for all below.
//
// Bytes: the writer copies bytes in, then stores the tail (release); the reader loads the tail
// (acquire), then copies those bytes out — it sees them. Room: the reader copies bytes out,
// then stores the head (release); the writer loads the head (acquire), then overwrites that
// room — the reader's copy is over. Descriptors: the writer sends a frame's carrier on the
// socket, stores fdsSent (release), then publishes the frame's bytes with the tail (release);
// the reader that loads (acquire) a tail covering the frame, and then fdsSent, finds the
// carrier counted, and so in its socket.
//
// Wake-ups are the Dekker pattern, once per direction: one side stores "I am waiting" and then
// loads the other's index; the other stores its index and then loads "waiting". A release
// store followed by an acquire load of another location may be reordered (the load taken
// before the store is visible: a store buffer on x86, and on arm64 with acquire loads that
// are LDAPR), and then both sides miss each other — the waiter sleeps on bytes (or room) the
// other side published without a wake-up. With all four operations seq_cst they are in one
// total order, so at least one side sees the other's store: either the waiter finds the
// index moved and does not sleep, or the other side finds it waiting and wakes it.

// Writer side.

ssize_t SharedRings::Room() const {
  // Acquire, pairs with the reader's head store in Get: the room it frees is ours to reuse.
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
  // Release: publishes the bytes just copied to the reader's tail load (Published, HasData,
  // AnnounceReaderWaiting). Seq_cst: the store half of the writer's Dekker pair, ahead of
  // the readerWaiting load in TakeReaderWaiting.
  out_->tail.store(tail_, std::memory_order_seq_cst);
  return static_cast<ssize_t>(take);
}

bool SharedRings::TakeReaderWaiting() {
  // Seq_cst: the load half of the writer's Dekker pair (after Put's tail store), against the
  // reader's readerWaiting store in AnnounceReaderWaiting. The plain load first keeps the
  // common case (reader awake) free of a read-modify-write; the exchange makes sure one
  // wake-up is sent per sleep, not one per write.
  return out_->readerWaiting.load(std::memory_order_seq_cst) != 0 &&
         out_->readerWaiting.exchange(0, std::memory_order_seq_cst) != 0;
}

bool SharedRings::AnnounceWriterWaiting(uint32_t wakeBelow) {
  // Seq_cst: the store half of this Dekker pair, against the reader's writerWaiting load in
  // TakeWriterWaiting (after its head store in Get).
  out_->writerWaiting.store(wakeBelow, std::memory_order_seq_cst);
  // Seq_cst (not Room's acquire): the load half, against Get's head store. With an acquire
  // load the C++ model lets it miss a head store that the reader made before it loaded
  // writerWaiting as 0 (arm64's LDAPR does reorder so); then neither side wakes the other.
  const uint64_t used = tail_ - out_->head.load(std::memory_order_seq_cst);
  if (used > kRingSize) return true;  // impossible head: the caller's next Put reports it
  if (used < wakeBelow) {
    // The reader caught up meanwhile: take the announcement back. Relaxed: a reader that
    // still sees it only sends one wake-up too many, which the writer reads and drops.
    out_->writerWaiting.store(0, std::memory_order_relaxed);
    return true;
  }
  return false;
}

uint64_t SharedRings::Unread() const {
  // Acquire, as Room's. An impossible head reads as a full ring (Put reports it).
  const uint64_t used = tail_ - out_->head.load(std::memory_order_acquire);
  return used > kRingSize ? kRingSize : used;
}

void SharedRings::CountFdSent() {
  // Release, pairs with the reader's acquire load in FdsPending: after the carrier's sendmsg
  // returned, and before Put publishes the frame's bytes (whose tail store is a release too,
  // so a reader that sees those bytes sees this count or a later one).
  out_->fdsSent.store(++fdsSent_, std::memory_order_release);
}

bool SharedRings::ReaderAttached() const {
  // Acquire, pairs with MarkAttached's release: once it reads 1, the reader takes socket
  // bytes as signals (it set that before marking, in its own thread), so a 'W' or 'F' sent
  // after this load is not read as part of a frame.
  return out_->readerAttached.load(std::memory_order_acquire) != 0;
}

// Reader side.

uint64_t SharedRings::Published() const {
  // Acquire, pairs with Put's tail store: the bytes below it are in the ring, and so is the
  // fdsSent count stored before them (see FdsPending).
  return in_->tail.load(std::memory_order_acquire);
}

ssize_t SharedRings::Get(char* dst, size_t max, uint64_t published) {
  const uint64_t available = published - head_;
  if (available > kRingSize) return -EPROTO;  // behind our head, or more than the ring holds
  const size_t take = std::min<size_t>(available, max);
  lastPublished_ = published;
  if (take == 0) return 0;
  CopyOut(inData_, head_, dst, take);
  head_ += take;
  // Release: our copy-out is done before the writer's acquire load in Room reuses the room.
  // Seq_cst: the store half of the reader's Dekker pair, ahead of the writerWaiting load in
  // TakeWriterWaiting.
  in_->head.store(head_, std::memory_order_seq_cst);
  return static_cast<ssize_t>(take);
}

bool SharedRings::HasData() const {
  // Acquire, pairs with Put's tail store; only a hint (the spin's "bytes came"): Get reads
  // the bytes after its own Published().
  return in_->tail.load(std::memory_order_acquire) != head_;
}

bool SharedRings::FdsPending(uint64_t received) const {
  // Acquire, pairs with CountFdSent's release. Called after Published(): every carrier of a
  // frame below that tail is counted by now (see CountFdSent).
  return in_->fdsSent.load(std::memory_order_acquire) > received;
}

bool SharedRings::TakeWriterWaiting() {
  // Seq_cst: the load half of the reader's Dekker pair (after Get's head store), against the
  // writer's writerWaiting store in AnnounceWriterWaiting. Load, then exchange: as in
  // TakeReaderWaiting. The writer waits for our unread bytes to fall below its value; as we
  // counted them at our last Get (the value is the peer's: it only decides when we wake it).
  // We read on until the ring is empty, where nothing is unread: a waiting writer is woken
  // by then at the latest.
  const uint32_t wakeBelow = in_->writerWaiting.load(std::memory_order_seq_cst);
  return wakeBelow != 0 && lastPublished_ - head_ < wakeBelow &&
         in_->writerWaiting.exchange(0, std::memory_order_seq_cst) != 0;
}

bool SharedRings::AnnounceReaderWaiting() {
  // Seq_cst: the store half of this Dekker pair, against the writer's readerWaiting load in
  // TakeReaderWaiting (after its tail store in Put).
  in_->readerWaiting.store(1, std::memory_order_seq_cst);
  // Seq_cst: the load half, against Put's tail store.
  if (in_->tail.load(std::memory_order_seq_cst) != head_) {
    // Bytes came meanwhile: take it back. Relaxed: a writer that still sees the 1 only
    // sends a wake-up too many.
    in_->readerWaiting.store(0, std::memory_order_relaxed);
    return true;
  }
  return false;
}

void SharedRings::MarkAttached() {
  // Release, pairs with ReaderAttached's acquire (see there).
  in_->readerAttached.store(1, std::memory_order_release);
}

void SharedRings::MarkClosed() {
  // Asleep for good: the writer's TakeReaderWaiting (seq_cst load) finds it and sends a
  // wake-up into the closed socket, which fails with EPIPE. Nothing is published with it, and
  // nothing is read after it; seq_cst only keeps it in the same order as the handshake.
  in_->readerWaiting.store(1, std::memory_order_seq_cst);
}

}  // namespace deka
