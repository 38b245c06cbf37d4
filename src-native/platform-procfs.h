// The Linux /proc reading behind PlatformSampleProcess, shared by both Linux builds (the
// native one and the portable one, which keeps /proc because Linux has it): included by
// platform-linux.cc and, on Linux only, by platform-posix.cc.
#pragma once

#include <stdio.h>
#include <string.h>

#include "platform.h"

namespace deka {

inline ProcessSample ProcfsSampleProcess(int pid) {
  ProcessSample sample;
  if (pid <= 0) return sample;
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, pid);
  FILE* file = fopen(path, "re");
  if (file == nullptr) {
    // No such process, or no /proc mounted: only the latter leaves us not knowing.
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

}  // namespace deka
