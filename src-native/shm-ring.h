// Shared-memory rings between two deka-ipc peers: one sealed shared-memory object (a memfd on
// Linux, see platform.h; no rings where there is none) holding a byte ring per direction.
// Once both sides have switched (see ring-transport.h), the frames a channel sends are
// copied into the ring instead of written to the socket, so a message costs no system call
// while the peer is awake; the socket stays for descriptors, wake-ups and EOF.
// Nothing in the mapping is trusted: the peer can write any value into it at any time, so
// every index read from it is checked and every byte is copied out before it is decoded.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <atomic>

namespace deka {

// One direction's shared state. Indices count bytes since the start and never wrap back;
// a byte's place is its index modulo the ring size. Each field has one writer. Every load
// and store of them is in shm-ring.cc, each with the store or load it pairs with.
struct RingControl {
  alignas(64) std::atomic<uint64_t> tail;      // writer: bytes published
  std::atomic<uint64_t> fdsSent;               // writer: descriptors sent for bytes before tail
  alignas(64) std::atomic<uint64_t> head;      // reader: bytes consumed
  alignas(64) std::atomic<uint32_t> readerAttached;  // reader: takes its socket bytes as wake-ups now
  std::atomic<uint32_t> readerWaiting;         // reader: asleep in its loop; a byte wakes it
  alignas(64) std::atomic<uint32_t> writerWaiting;   // writer: wake me (a byte) once unread < this
};

// The mapping: this header in its first page, then ring 0's bytes (written by the creator),
// then ring 1's. Each ring holds what a socket's buffer held (SO_SNDBUF is 1 MiB, see
// Channel::New): a window of large messages in flight. Pages are only committed once the
// ring has cycled over them.
constexpr uint64_t kRingSize = 1024 * 1024;
constexpr size_t kRingDataOffset = 4096;
constexpr size_t kRingMappingSize = kRingDataOffset + 2 * kRingSize;

struct RingHeader {
  uint32_t magic;
  uint32_t version;
  uint64_t ringSize;
  RingControl rings[2];
};

class SharedRings {
 public:
  // A new mapping whose creator writes ring 0 and reads ring 1. Returns its memfd, which
  // the caller sends to the peer and closes when the channel closes; -errno on failure
  // (-ENOSYS where the platform has no sealed shared memory).
  static int Create(SharedRings** out);
  // Maps what the peer created (reading ring 0, writing ring 1) after checking that `fd` is
  // a sealed memfd of exactly our size and layout. 0 or -errno (the fd is not closed).
  static int Attach(int fd, SharedRings** out);
  // One end over kRingMappingSize zeroed bytes the caller owns, maps and unmaps (the creator's
  // end writes the header): both ends in one address space, as the native stress test
  // (test/native/ring-stress.cc) runs them, so that ThreadSanitizer sees one set of addresses.
  static SharedRings* Over(void* memory, bool creator);
  ~SharedRings();
  SharedRings(const SharedRings&) = delete;
  SharedRings& operator=(const SharedRings&) = delete;

  // Writer side.
  // Copies as much of data[0, n) as fits and publishes it; returns the bytes taken, or
  // -EPROTO when the peer's index is impossible.
  ssize_t Put(const char* data, size_t n);
  // Room left; -EPROTO as Put.
  ssize_t Room() const;
  // After publishing: whether the reader went to sleep and must be woken (once).
  bool TakeReaderWaiting();
  // Before going to wait: says so, then whether the reader's unread bytes fell below
  // `wakeBelow` meanwhile. kRingSize waits for room; less, for the reader to catch up.
  bool AnnounceWriterWaiting(uint32_t wakeBelow = kRingSize);
  // Bytes published and not yet consumed by the reader.
  uint64_t Unread() const;
  void CountFdSent();
  bool ReaderAttached() const;

  // Reader side.
  // How far the writer has published (its tail): what Get may read up to. Read first, then
  // FdsPending: a carrier is counted before its frame's bytes are published, so once the
  // tail covers a frame, its descriptor is counted (and in the socket).
  uint64_t Published() const;
  // Copies up to `max` bytes published before `published` into dst and frees their room;
  // returns the bytes copied, or -EPROTO when the peer's index is impossible.
  ssize_t Get(char* dst, size_t max, uint64_t published);
  bool HasData() const;
  // Descriptors the writer sent on the socket for bytes now readable, not received yet.
  bool FdsPending(uint64_t received) const;
  // After freeing room: whether the writer waits for it and must be woken (once).
  bool TakeWriterWaiting();
  // Before sleeping in the loop: says so, then whether bytes arrived meanwhile (then the
  // reader must not sleep; the announcement is taken back).
  bool AnnounceReaderWaiting();
  void MarkAttached();
  // A reader that closed is asleep for good: the writer's next wake-up meets the closed
  // socket and reports EPIPE, as a write to it would.
  void MarkClosed();

 private:
  SharedRings(char* base, bool creator, bool owned);
  char* base_;
  bool owned_;  // unmapped with us (not for Over)
  RingControl* out_;
  char* outData_;
  RingControl* in_;
  char* inData_;
  uint64_t tail_ = 0;  // our own indices: never read back from the mapping
  uint64_t head_ = 0;
  uint64_t fdsSent_ = 0;
  uint64_t lastPublished_ = 0;  // the tail our last Get read up to
};

}  // namespace deka
