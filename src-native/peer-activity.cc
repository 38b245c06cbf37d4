#include "peer-activity.h"

#include <stdio.h>
#include <string.h>

namespace deka {

PeerSample SamplePeer(int pid) {
  PeerSample sample;
  if (pid <= 0) return sample;
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, pid);
  FILE* file = fopen(path, "re");
  if (file == nullptr) {
    // No such process, or no /proc at all: only the latter leaves us not knowing.
    FILE* self = fopen("/proc/self/stat", "re");
    if (self != nullptr) {
      fclose(self);
      sample.known = true;
      sample.gone = true;
    }
    return sample;
  }
  char line[1024];
  size_t n = fread(line, 1, sizeof(line) - 1, file);
  fclose(file);
  line[n] = '\0';
  // "pid (comm) S ppid ..." — comm may hold spaces and parentheses: parse after the last ')'.
  const char* rest = strrchr(line, ')');
  if (rest == nullptr) return sample;
  char state = 0;
  unsigned long long utime = 0, stime = 0;
  // Fields 3 (state) .. 15 (stime); 4..13 are skipped.
  if (sscanf(rest + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &state, &utime, &stime) != 3) {
    return sample;
  }
  sample.known = true;
  sample.gone = state == 'Z' || state == 'X' || state == 'x';
  sample.runnable = state == 'R' || state == 'D';
  sample.stopped = state == 'T' || state == 't';
  sample.cpuTicks = utime + stime;
  return sample;
}

bool PeerWatch::Watchable() { return pid_ > 0 && SamplePeer(pid_).known; }

bool PeerWatch::Alive() {
  const PeerSample sample = SamplePeer(pid_);
  if (!sample.known || sample.gone || sample.stopped) return false;
  const bool grew = sampled_ && sample.cpuTicks > lastTicks_;
  sampled_ = true;
  lastTicks_ = sample.cpuTicks;
  return sample.runnable || grew;
}

}  // namespace deka
