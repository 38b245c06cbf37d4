#include "read-pacing.h"

#include <nan.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <uv.h>

#include <algorithm>

#include "platform.h"

namespace deka {

namespace {

// How long the channels woken in one turn of the loop may keep reading (and spinning for
// more), together, before the loop gets its turn: timers and other handles must not starve
// behind busy channels. Checked after every read, whether the socket had more or not; each
// channel woken reads at least once, so none starves behind the others either.
constexpr int64_t kTurnBudgetNs = 2 * 1000 * 1000;

// The loop turn the budget was opened for (uv_now: the same for every callback of one
// poll) and when it closes. Per thread: each worker has a loop of its own.
struct TurnBudget {
  uint64_t loopNow = UINT64_MAX;
  int64_t endNs = 0;
};

// The spin's bookkeeping (see AwaitMore): a hit earns this much credit, a miss costs one,
// credit is capped, and without credit one wake-up in kSpinProbeEvery spins anyway. Each
// probe that finds nothing doubles that interval, up to kSpinProbeEveryMost: a peer that
// answers only when asked at 1 kHz never answers a probe, and 250 µs every 64 requests was
// ~4 µs of CPU per request on each side (3-4 % of a 1 kHz request/response's samples).
constexpr int kSpinHitCredit = 4;
constexpr int kSpinMaxCredit = 16;
constexpr unsigned kSpinProbeEvery = 64;
constexpr unsigned kSpinProbeEveryMost = 4096;
constexpr int64_t kSpinProbeNs = 250 * 1000;

// Whether this process may run on one core only (taskset, a container's cpuset): then a
// peer that answers us shares it. Read once.
bool OnlyCore() {
  static const bool only = [] {
    return PlatformUsableCpus() == 1;
  }();
  return only;
}

}  // namespace

int64_t NowNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

int64_t TurnEnd() {
  thread_local TurnBudget turn;
  uint64_t loopNow = uv_now(Nan::GetCurrentEventLoop());
  if (loopNow != turn.loopNow) {
    turn.loopNow = loopNow;
    turn.endNs = NowNs() + kTurnBudgetNs;
  }
  return turn.endNs;
}

void ReadSizer::Took(size_t n, int64_t ns) {
  // A read too small to time says little (one message, the end of a burst).
  if (n < kMinReadSize) return;
  const double fit = static_cast<double>(n) * kReadTargetNs / static_cast<double>(ns > 1000 ? ns : 1000);
  // Grows at most twofold per read, so one quick read (the JIT's code, a lucky batch) does not
  // bet the next turn on it; shrinks at once.
  const size_t grown = std::min(2 * size_, kReadSize);
  size_ = std::max(kMinReadSize, std::min(grown, static_cast<size_t>(fit)));
}

// The spin lasts up to its budget (DEKA_IPC_SPIN_US, default 30 µs; 0 turns it off) — but
// only while waiting has been paying off. Each spin that ends with bytes earns credit, each
// one that ends empty-handed costs some; without credit the channel goes to sleep in the
// loop as Node's does, and only every kSpinProbeEvery-th wake-up tries again. So a
// request/response peer that answers within microseconds is caught without a wake-up, while
// a slow or idle peer, or one starved of CPU, costs no CPU.
bool SpinPolicy::Begin(int64_t* start, int64_t* deadline) {
  static const int64_t budget_ns = [] {
    const char* text = getenv("DEKA_IPC_SPIN_US");
    long us = text != nullptr && *text != '\0' ? strtol(text, nullptr, 10) : 30;
    return static_cast<int64_t>(us < 0 ? 0 : us > 10000 ? 10000 : us) * 1000;
  }();
  if (budget_ns == 0) return false;
  const bool probe = credit_ <= 0;
  if (probe && ++probe_ % probeEvery_ != 0) return false;
  // A probe waits long enough for a sleeping peer to be woken and answer (on a VM that can
  // take 100 µs and more). A spin that caught an answer late waits as long again next time
  // (twice the wait, up to a probe's): so while the peer still sleeps, this side keeps
  // catching its answers, and answers it at once, until the peer's own probe finds that and
  // both stay awake; then answers come in microseconds and the spin is short again.
  *start = NowNs();
  *deadline = *start + (probe ? std::max(budget_ns, kSpinProbeNs) : std::max(budget_ns, waitNs_));
  return true;
}

SpinPolicy::SpinPolicy() : probeEvery_(kSpinProbeEvery) {}

bool SpinPolicy::Hit(int64_t start) {
  probeEvery_ = kSpinProbeEvery;
  credit_ = std::min(credit_ + kSpinHitCredit, kSpinMaxCredit);
  waitNs_ = std::min(2 * (NowNs() - start), kSpinProbeNs);
  return true;
}

bool SpinPolicy::Miss() {
  // Without credit the spin that missed was a probe (credit is only changed here and in Hit).
  if (credit_ <= 0) {
    probeEvery_ = std::min(2 * probeEvery_, kSpinProbeEveryMost);
    probe_ = 0;
  }
  credit_ = std::max(credit_ - 1, 0);
  waitNs_ /= 2;
  return false;
}

void SpinPolicy::Pause(bool sharedMemory) {
  // Confined to one core, the peer can only answer if we let it run. Elsewhere a yield
  // would hand the core to whatever else is runnable (a CPU hog) for a whole time slice.
  if (OnlyCore()) {
    sched_yield();
    return;
  }
#if defined(__x86_64__) || defined(__i386__)
  // Watching shared memory: tell the core it is a spin (the sibling hyperthread gets the
  // pipeline, and leaving the loop costs no mis-speculation).
  if (sharedMemory) __builtin_ia32_pause();
#else
  (void)sharedMemory;
#endif
}

}  // namespace deka
