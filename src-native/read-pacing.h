// Read pacing: how long a channel woken by the loop may keep reading, and whether it may
// spin for the next message instead of going to sleep. A policy only: the stream asks, the
// transports say whether bytes are there.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace deka {

int64_t NowNs();  // CLOCK_MONOTONIC

// Reads go into one buffer per thread of this size. 64 KiB, as Node reads: one read is also
// the unit of work the loop cannot interrupt (its messages are decoded and emitted before
// anything else runs), and with several busy channels a larger read made timers wait
// several times longer than under Node.
constexpr size_t kReadSize = 64 * 1024;

// What a channel woken after the turn's budget is spent reads: enough to move, little to
// hold the turn.
constexpr size_t kShareReadSize = 8 * 1024;

// What one read should cost: the loop cannot interrupt a read and the delivery of its
// messages, so reads are sized to take about this long at the rate the channel's last reads
// were delivered. Small messages, and code not yet compiled by the JIT (the first thousands
// of messages), take 5-10 µs each: a 64 KiB read of 14-byte messages then held the loop for
// 30-50 ms, where timers waited. Large messages still go 64 KiB at a time.
constexpr int64_t kReadTargetNs = 1000 * 1000;
constexpr size_t kMinReadSize = 2 * 1024;

// The size of the next read, from how long the last ones took to deliver.
class ReadSizer {
 public:
  size_t Next(size_t cap) const { return size_ < cap ? size_ : cap; }
  // `n` bytes were delivered in `ns`.
  void Took(size_t n, int64_t ns);

 private:
  // Until measured, the least: the first reads of a flood run cold code, and four channels'
  // first reads of 8 KiB (2,200 messages of 15 bytes) once held the loop for 34 ms.
  size_t size_ = kMinReadSize;
};

// Reads per wake-up before yielding to the rest of the loop.
constexpr int kReadsPerWakeup = 16;

// When the budget of the current loop turn ends (see read-pacing.cc). readPending() reads
// without one: INT64_MAX.
int64_t TurnEnd();

// The brief wait for the next message after a read, with its bookkeeping (see AwaitMore).
class SpinPolicy {
 public:
  SpinPolicy();
  // Waits, without blocking, until ready() says bytes (or an end) came, for as long as the
  // policy allows. `sharedMemory`: ready() watches memory, not a system call.
  template <typename Ready>
  bool AwaitMore(Ready ready, bool sharedMemory) {
    int64_t start, deadline;
    if (!Begin(&start, &deadline)) return false;
    for (;;) {
      if (ready()) return Hit(start);
      if (NowNs() >= deadline) return Miss();
      Pause(sharedMemory);
    }
  }

 private:
  bool Begin(int64_t* start, int64_t* deadline);
  bool Hit(int64_t start);
  bool Miss();
  static void Pause(bool sharedMemory);

  int credit_ = 4;     // earned by spins that found bytes (a first one free)
  unsigned probe_ = 0; // wake-ups without credit, for the occasional probe
  unsigned probeEvery_;  // wake-ups between probes: doubles on each probe that finds nothing
  int64_t waitNs_ = 0; // how long the next spin may wait beyond the base
};

}  // namespace deka
