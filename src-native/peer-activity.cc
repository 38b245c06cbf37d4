#include "peer-activity.h"

namespace deka {

bool PeerWatch::Watchable() { return pid_ > 0 && PlatformSampleProcess(pid_).known; }

bool PeerWatch::Alive() {
  const ProcessSample sample = PlatformSampleProcess(pid_);
  if (!sample.known || sample.gone || sample.stopped) return false;
  const bool grew = sampled_ && sample.cpuTicks > lastTicks_;
  sampled_ = true;
  lastTicks_ = sample.cpuTicks;
  return sample.runnable || grew;
}

}  // namespace deka
