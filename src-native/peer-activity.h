// Whether the process at the other end of a channel is running: the exit flush (and a
// disconnect waiting for its queue) keeps waiting for a peer that runs, however slowly it
// starts, and gives up on one that neither takes bytes nor runs (stopped, blocked, gone).
#pragma once

#include <stdint.h>

#include "platform.h"

namespace deka {

// What is known of the peer: platform.h's PlatformSampleProcess (unknown where the system
// cannot be asked: the exit flush then ends after DEKA_IPC_EXIT_STALL_MS without bytes taken).
// The rule, one peer at a time: alive since the last look when it is runnable, or its main
// thread used CPU time since then. Stopped or sleeping without CPU (Atomics.wait, a blocking
// call) is not alive; gone is not alive.
class PeerWatch {
 public:
  explicit PeerWatch(int pid) : pid_(pid) {}
  // true: the peer showed life since the last call; false: it did not, or cannot be watched.
  bool Alive();
  // Whether Alive() can ever say true (a pid, and a way to look at it).
  bool Watchable();

 private:
  int pid_;
  bool sampled_ = false;
  uint64_t lastTicks_ = 0;
};

}  // namespace deka
