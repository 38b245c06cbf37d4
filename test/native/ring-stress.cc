// The shared-memory ring (src-native/shm-ring.{h,cc}) with its writer and its reader on two
// threads, as two deka-ipc peers drive it, without Node: built by test/native/run.js with g++,
// once under ThreadSanitizer and once at -O2 for 10^8 bytes.
//
// Both ends are views of one mapping in this process (SharedRings::Over), so ThreadSanitizer
// sees one set of addresses. The signals go over a real socketpair, as in ring-transport.cc:
// 'W' wakes the reader asleep in poll() (readerWaiting + tail) or the writer waiting for room
// (writerWaiting + head); 'F' carries a descriptor (SCM_RIGHTS) for the frame that follows it
// in the ring. What is checked:
//   - every byte: frames carry a sequence number and a payload computed from it, checked byte
//     for byte; frame sizes from 1 byte to 3 rings, so the ring wraps and fills;
//   - no lost wake-up: a side that sleeps more than 10 s on a ring the other side moved fails;
//   - carriers: each carrier is a pipe holding its own number; the frame that names it must
//     find it received already (the order rule: carrier, count, then the frame's bytes);
//   - hostile indices: a peer's impossible head or tail gives EPROTO, and no access leaves the
//     ring (guard pages around the mapping, canary bytes in the other ring), also while a
//     thread scribbles indices as the reader reads.
// Exit 0 and a summary line, or 1 with what failed.
//
// --carrier-check=before-tail runs the reader as shm-channel.cc (now stream-read.cc) did
// before this test: the carrier count looked at before the tail was loaded. It then counts
// (does not fail on) the frames that arrived ahead of their descriptor.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "io.h"
#include "shm-ring.h"

using deka::kRingMappingSize;
using deka::kRingSize;
using deka::RingHeader;
using deka::SharedRings;

namespace {

constexpr int kSleepLimitMs = 10000;  // a wake-up later than this was lost
constexpr uint32_t kFrameMagic = 0x4652414d;  // "FRAM"
constexpr size_t kFrameHeader = 16;           // magic, payload length, sequence, carrier (0: none)

std::atomic<bool> failed{false};
// The bytes the writer sent, once it is done (0 before): the reader stops when it has them all.
std::atomic<uint64_t> writerTotal{0};

void Fail(const char* what, unsigned long long a = 0, unsigned long long b = 0) {
  if (!failed.exchange(true)) fprintf(stderr, "ring-stress: FAIL: %s (%llu, %llu)\n", what, a, b);
}

inline uint8_t PayloadByte(uint32_t seq, uint32_t j) { return static_cast<uint8_t>(seq * 7u + j * 13u + (j >> 8)); }

// The mapping between two PROT_NONE pages: an access outside it faults.
struct Mapping {
  char* region = nullptr;
  char* base = nullptr;
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  Mapping() {
    region = static_cast<char*>(mmap(nullptr, kRingMappingSize + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (region == MAP_FAILED) {
      perror("mmap");
      exit(1);
    }
    base = region + page;
    if (mprotect(base, kRingMappingSize, PROT_READ | PROT_WRITE) != 0) {
      perror("mprotect");
      exit(1);
    }
  }
  ~Mapping() { munmap(region, kRingMappingSize + 2 * page); }
  RingHeader* header() const { return reinterpret_cast<RingHeader*>(base); }
};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Sleeps until the socket has a byte; false after kSleepLimitMs (a lost wake-up).
bool SleepOn(int sock) {
  struct pollfd p = {sock, POLLIN, 0};
  int r;
  do {
    r = poll(&p, 1, kSleepLimitMs);
  } while (r < 0 && errno == EINTR);
  return r == 1;
}

void SendSignal(int sock, char byte, int fd) {
  struct iovec iov = {&byte, 1};
  for (;;) {
    ssize_t n = deka::SendWithFd(sock, &iov, 1, fd);
    if (n == 1) return;
    // A full socket of wake-ups already wakes the peer; a carrier must go, so wait for room.
    if (n == -EAGAIN && fd < 0) return;
    if (n != -EAGAIN) return Fail("signal send", static_cast<unsigned long long>(-n));
    struct pollfd p = {sock, POLLOUT, 0};
    poll(&p, 1, 100);
  }
}

struct Stats {
  uint64_t frames = 0, bytes = 0, carriers = 0, readerSleeps = 0, writerSleeps = 0, wakesSent = 0, fullRing = 0;
  uint64_t early = 0;  // frames decoded before their carrier (only with --carrier-check=before-tail)
};

struct Options {
  uint64_t bytes = 100000000;
  uint32_t seed = 1;
  bool checkBeforeTail = false;
  uint64_t hostileRounds = 100000;
};

// The writer: frames into the ring, as Channel::PutNow/FlushRing do it.
void Writer(SharedRings* ring, int sock, const Options& opt, Stats* st) {
  std::mt19937 rng(opt.seed);
  std::vector<char> frame;
  uint64_t sent = 0;
  uint32_t seq = 0, carrier = 0;
  while (sent < opt.bytes && !failed) {
    // Mostly small frames; one in 512 up to three rings long (wraps, fills the ring).
    const uint32_t pick = rng() % 512;
    const uint32_t length = pick == 0 ? 1 + rng() % (3 * kRingSize) : pick < 64 ? 1 + rng() % 65536 : 1 + rng() % 512;
    const bool withFd = rng() % 50 == 0;
    frame.resize(kFrameHeader + length);
    seq++;
    const uint32_t header[4] = {kFrameMagic, length, seq, withFd ? carrier + 1 : 0};
    memcpy(frame.data(), header, sizeof(header));
    for (uint32_t j = 0; j < length; j++) frame[kFrameHeader + j] = static_cast<char>(PayloadByte(seq, j));
    if (withFd) {
      // The carrier: a pipe holding its number, sent before any byte of its frame is published.
      int p[2];
      if (pipe(p) != 0) return Fail("pipe");
      carrier++;
      if (write(p[1], &carrier, sizeof(carrier)) != sizeof(carrier)) return Fail("pipe write");
      SendSignal(sock, 'F', p[0]);
      close(p[0]);
      close(p[1]);
      ring->CountFdSent();
      st->carriers++;
    }
    size_t off = 0;
    while (off < frame.size() && !failed) {
      ssize_t n = ring->Put(frame.data() + off, frame.size() - off);
      if (n < 0) return Fail("writer: Put", static_cast<unsigned long long>(-n));
      off += static_cast<size_t>(n);
      if (n > 0 && ring->TakeReaderWaiting()) {
        SendSignal(sock, 'W', -1);
        st->wakesSent++;
      }
      if (off == frame.size()) break;
      st->fullRing++;
      if (ring->AnnounceWriterWaiting()) continue;  // room came meanwhile
      st->writerSleeps++;
      if (!SleepOn(sock)) return Fail("writer: lost wake-up (waited 10 s for room)", ring->Room() < 0 ? 1 : 0);
      char drop[64];
      while (recv(sock, drop, sizeof(drop), MSG_DONTWAIT) > 0) {
      }
    }
    sent += frame.size();
    // Now and then a pause, so that the reader empties the ring and goes to sleep.
    if (rng() % 16 == 0) std::this_thread::sleep_for(std::chrono::microseconds(rng() % 200));
  }
  st->frames = seq;
  st->bytes = sent;
}

// The reader: the ring into frames, as Channel::ReadShm does it, checking every byte.
void Reader(SharedRings* ring, int sock, const Options& opt, Stats* st) {
  std::mt19937 rng(opt.seed * 31 + 7);
  std::vector<char> chunk(kRingSize);
  std::deque<int> fds;  // received carriers, in order
  uint64_t fdsReceived = 0, got = 0;
  // The frame being parsed.
  char header[kFrameHeader];
  size_t headerHave = 0;
  uint32_t length = 0, seq = 0, expectSeq = 1, at = 0;
  bool inPayload = false;

  auto drain = [&]() {
    char bytes[256];
    for (;;) {
      int fd = -1;
      bool truncated = false;
      ssize_t n = deka::ReceiveWithFd(sock, bytes, sizeof(bytes), &fd, &truncated);
      if (n == -EAGAIN) return;
      if (n <= 0 || truncated) return Fail("reader: signal receive", static_cast<unsigned long long>(-n));
      for (ssize_t i = 0; i < n; i++) {
        if (bytes[i] == 'F') fdsReceived++;
        else if (bytes[i] != 'W') Fail("reader: not a signal", static_cast<unsigned char>(bytes[i]));
      }
      if (fd >= 0) {
        if ((fcntl(fd, F_GETFD) & FD_CLOEXEC) == 0) Fail("reader: a received descriptor is not close-on-exec");
        fds.push_back(fd);
      }
    }
  };

  ring->MarkAttached();
  while (!failed) {
    uint64_t published = 0;
    if (opt.checkBeforeTail) {
      if (ring->FdsPending(fdsReceived)) drain();
      published = ring->Published();
    } else {
      published = ring->Published();
      if (ring->FdsPending(fdsReceived)) drain();
    }
    const size_t max = 1 + rng() % (rng() % 8 == 0 ? kRingSize : 4096);
    ssize_t n = ring->Get(chunk.data(), max, published);
    if (n < 0) return Fail("reader: Get", static_cast<unsigned long long>(-n));
    if (n == 0) {
      const uint64_t total = writerTotal.load(std::memory_order_acquire);
      if (total != 0 && got == total) break;
      if (ring->AnnounceReaderWaiting()) continue;  // bytes came while we announced the sleep
      st->readerSleeps++;
      if (!SleepOn(sock)) return Fail("reader: lost wake-up (slept 10 s on a ring with bytes)", ring->HasData());
      drain();
      continue;
    }
    if (ring->TakeWriterWaiting()) SendSignal(sock, 'W', -1);
    got += static_cast<uint64_t>(n);
    // Parse and check.
    for (ssize_t i = 0; i < n && !failed;) {
      if (!inPayload) {
        const size_t take = std::min<size_t>(kFrameHeader - headerHave, static_cast<size_t>(n - i));
        memcpy(header + headerHave, chunk.data() + i, take);
        headerHave += take;
        i += static_cast<ssize_t>(take);
        if (headerHave < kFrameHeader) break;
        uint32_t h[4];
        memcpy(h, header, sizeof(h));
        if (h[0] != kFrameMagic || h[2] != expectSeq) return Fail("reader: frame header", h[2], expectSeq);
        length = h[1];
        seq = h[2];
        at = 0;
        inPayload = true;
        headerHave = 0;
        if (h[3] != 0) {
          // Its carrier must be here already.
          if (fds.empty()) {
            if (!opt.checkBeforeTail) return Fail("reader: a frame came before its descriptor", seq, h[3]);
            st->early++;
            drain();  // it is in the socket: take it, to go on pairing
            if (fds.empty()) return Fail("reader: no descriptor for a frame even after draining", seq, h[3]);
          }
          const int fd = fds.front();
          fds.pop_front();
          uint32_t number = 0;
          if (read(fd, &number, sizeof(number)) != sizeof(number) || number != h[3]) return Fail("reader: the wrong descriptor", number, h[3]);
          close(fd);
        }
      }
      const size_t take = std::min<size_t>(length - at, static_cast<size_t>(n - i));
      const uint8_t* p = reinterpret_cast<const uint8_t*>(chunk.data() + i);
      for (size_t j = 0; j < take; j++) {
        if (p[j] != PayloadByte(seq, at + static_cast<uint32_t>(j))) return Fail("reader: a payload byte", seq, at + j);
      }
      at += static_cast<uint32_t>(take);
      i += static_cast<ssize_t>(take);
      if (at == length) {
        inPayload = false;
        expectSeq++;
      }
    }
  }
  for (int fd : fds) close(fd);
}

// Hostile indices: each side's checks against a peer that writes what it wants.
void Hostile(uint32_t seed, uint64_t rounds) {
  std::mt19937_64 rng(seed);
  for (int creatorWrites = 0; creatorWrites < 2; creatorWrites++) {
    Mapping m;
    SharedRings* a = SharedRings::Over(m.base, true);
    SharedRings* b = SharedRings::Over(m.base, false);
    SharedRings* writer = creatorWrites ? a : b;
    SharedRings* reader = creatorWrites ? b : a;
    const int ring = creatorWrites ? 0 : 1;
    char* data = m.base + deka::kRingDataOffset + ring * kRingSize;
    char* other = m.base + deka::kRingDataOffset + (1 - ring) * kRingSize;
    auto& control = m.header()->rings[ring];
    memset(data, 0xAA, kRingSize);
    memset(other, 0x55, kRingSize);
    std::vector<char> buf(kRingSize), src(kRingSize, static_cast<char>(0xAA));

    // The reader: a tail more than a ring ahead of its head, and one behind it.
    control.tail.store(kRingSize + 1);
    if (reader->Get(buf.data(), buf.size(), reader->Published()) != -EPROTO) Fail("hostile: tail a ring + 1 ahead");
    control.tail.store(0);
    if (writer->Put(src.data(), 100) != 100) Fail("hostile: setup put");
    if (reader->Get(buf.data(), 100, reader->Published()) != 100) Fail("hostile: setup get");
    control.tail.store(50);
    if (reader->Get(buf.data(), buf.size(), reader->Published()) != -EPROTO) Fail("hostile: tail behind the head");
    // Exactly a ring ahead is legal: it reads the whole ring, all of it from its own ring.
    control.tail.store(100 + kRingSize);
    if (reader->Get(buf.data(), buf.size(), reader->Published()) != static_cast<ssize_t>(kRingSize)) Fail("hostile: a full ring");
    for (size_t i = 0; i < kRingSize; i++) {
      if (static_cast<uint8_t>(buf[i]) != 0xAA) return Fail("hostile: read outside its ring", i);
    }
    // The writer: a head ahead of its tail, and one more than a ring behind.
    control.head.store(1000);
    if (writer->Room() != -EPROTO || writer->Put(src.data(), 10) != -EPROTO) Fail("hostile: head ahead of the tail");
    control.head.store(100);  // our tail is 100: the ring is empty
    if (writer->Put(src.data(), kRingSize) != static_cast<ssize_t>(kRingSize)) Fail("hostile: fill the ring");
    control.head.store(0);  // our tail is 100 + ring: one more than a ring behind
    if (writer->Put(src.data(), 1) != -EPROTO || !writer->AnnounceWriterWaiting()) Fail("hostile: head a ring + 1 behind");

    // Random indices, and a thread that scribbles them while the reader reads: every answer
    // is EPROTO or a count within the ring; the guard pages catch any access outside the
    // mapping, the canary any write into the other ring.
    std::atomic<bool> stop{false};
    // Where the two ends' own indices are (the test keeps count: both are 100 + a ring now).
    std::atomic<uint64_t> readerHead{100 + kRingSize}, writerTail{100 + kRingSize};
    std::atomic<uint64_t> scribbles{0};
    std::thread scribbler([&] {
      std::mt19937_64 r(seed + 99);
      while (!stop.load(std::memory_order_relaxed)) {
        scribbles.fetch_add(1, std::memory_order_relaxed);
        // Near the indices in use (so that some are legal), now and then anything at all.
        const uint64_t h = readerHead.load(std::memory_order_relaxed), t = writerTail.load(std::memory_order_relaxed);
        control.tail.store(r() % 8 == 0 ? r() : h + r() % (2 * kRingSize + 4) - kRingSize - 2, std::memory_order_relaxed);
        control.head.store(r() % 8 == 0 ? r() : t + r() % (2 * kRingSize + 4) - kRingSize - 2, std::memory_order_relaxed);
      }
    });
    uint64_t protocolErrors = 0, reads = 0, writes = 0;
    // The reader, then the writer (a Put stores the writer's own tail, which the reader's next
    // Get would read instead of the scribbler's): each for at least `rounds` calls, and on
    // until the scribbler has written as many indices.
    for (int side = 0; side < 2; side++) {
      const uint64_t until = scribbles.load(std::memory_order_relaxed) + rounds;
      for (uint64_t i = 0; i < rounds || scribbles.load(std::memory_order_relaxed) < until; i++) {
        // Half the time this thread picks the index itself (as the scribbler does): many
        // draws whatever the scheduler does with the scribbler.
        const bool own = rng() % 2 == 0;
        const uint64_t pick = rng() % 8 == 0 ? rng() : rng() % (2 * kRingSize + 4) - kRingSize - 2;
        if (side == 0) {
          if (own) control.tail.store(readerHead.load(std::memory_order_relaxed) + pick, std::memory_order_relaxed);
          const size_t max = 1 + rng() % (rng() % 64 == 0 ? kRingSize : 65536);
          ssize_t n = reader->Get(buf.data(), max, reader->Published());
          if (n == -EPROTO) protocolErrors++;
          else if (n < 0 || static_cast<size_t>(n) > max) Fail("hostile: Get out of range", static_cast<unsigned long long>(n));
          else if (n > 0) reads++, readerHead.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
        } else {
          if (own) control.head.store(writerTail.load(std::memory_order_relaxed) + pick, std::memory_order_relaxed);
          ssize_t w = writer->Put(src.data(), 1 + rng() % 4096);
          if (w == -EPROTO) protocolErrors++;
          else if (w < 0 || w > 4096) Fail("hostile: Put out of range", static_cast<unsigned long long>(w));
          else if (w > 0) writes++, writerTail.fetch_add(static_cast<uint64_t>(w), std::memory_order_relaxed);
        }
      }
    }
    stop = true;
    scribbler.join();
    for (size_t i = 0; i < kRingSize; i++) {
      if (static_cast<uint8_t>(other[i]) != 0x55) return Fail("hostile: a write landed in the other ring", i);
    }
    printf("ring-stress: hostile ring %d: %llu EPROTO, %llu reads and %llu writes of bytes within the ring, no access outside\n", ring,
           static_cast<unsigned long long>(protocolErrors), static_cast<unsigned long long>(reads),
           static_cast<unsigned long long>(writes));
    delete a;
    delete b;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a.rfind("--bytes=", 0) == 0) opt.bytes = strtoull(a.c_str() + 8, nullptr, 10);
    else if (a.rfind("--seed=", 0) == 0) opt.seed = static_cast<uint32_t>(strtoul(a.c_str() + 7, nullptr, 10));
    else if (a.rfind("--hostile-rounds=", 0) == 0) opt.hostileRounds = strtoull(a.c_str() + 17, nullptr, 10);
    else if (a == "--carrier-check=before-tail") opt.checkBeforeTail = true;
    else {
      fprintf(stderr, "usage: ring-stress [--bytes=N] [--seed=N] [--hostile-rounds=N] [--carrier-check=before-tail]\n");
      return 2;
    }
  }

  Hostile(opt.seed, opt.hostileRounds);
  if (failed) return 1;

  Mapping m;
  SharedRings* writerEnd = SharedRings::Over(m.base, true);
  SharedRings* readerEnd = SharedRings::Over(m.base, false);
  int fds[2];
  if (deka::MakeSocketPair(fds) != 0) {
    perror("socketpair");
    return 1;
  }
  for (int fd : fds) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

  Stats ws, rs;
  const int64_t start = NowMs();
  std::thread reader([&] { Reader(readerEnd, fds[1], opt, &rs); });
  Writer(writerEnd, fds[0], opt, &ws);
  // Done: one more wake-up, outside the handshake, for a reader asleep after the last byte.
  writerTotal.store(failed ? ~0ull : ws.bytes, std::memory_order_release);
  SendSignal(fds[0], 'W', -1);
  reader.join();
  const int64_t ms = NowMs() - start;
  delete writerEnd;
  delete readerEnd;
  close(fds[0]);
  close(fds[1]);
  if (failed) return 1;
  printf("ring-stress: %llu frames, %llu bytes checked byte for byte in %lld ms (%.0f MB/s); %llu carriers; "
         "ring full %llu times, writer slept %llu, reader slept %llu, %llu wake-ups sent%s\n",
         static_cast<unsigned long long>(ws.frames), static_cast<unsigned long long>(ws.bytes), static_cast<long long>(ms),
         ms > 0 ? ws.bytes / 1e3 / static_cast<double>(ms) : 0.0, static_cast<unsigned long long>(ws.carriers),
         static_cast<unsigned long long>(ws.fullRing), static_cast<unsigned long long>(ws.writerSleeps),
         static_cast<unsigned long long>(rs.readerSleeps), static_cast<unsigned long long>(ws.wakesSent),
         opt.checkBeforeTail ? (" ; carrier checked before the tail: " + std::to_string(rs.early) + " frames came before their descriptor").c_str() : "");
  return 0;
}
