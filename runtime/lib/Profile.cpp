//===- Profile.cpp - SLUICE_PROFILE's table -------------------------------===//

#include "sluice/Runtime/Profile.h"
#include "sluice/Runtime/Graphs.h"
#include "sluice/Runtime/UnifiedMemory.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <sys/resource.h>

namespace sluice::rt {
namespace {

using Clock = std::chrono::steady_clock;

struct Row {
  int64_t calls = 0;
  double seconds = 0;
};

struct Profile {
  std::mutex mutex;
  std::unordered_map<std::string, Row> rows;
  Clock::time_point start; // the first call of profiling()
};

Profile &profile() {
  static auto *state = new Profile; // read by an atexit handler
  return *state;
}

thread_local int openScopes = 0;

void printAtExit() { printProfile(stderr); }

} // namespace

bool profiling() {
  static const bool enabled = [] {
    const char *value = std::getenv("SLUICE_PROFILE");
    bool on = value && *value && std::string(value) != "0";
    if (on) {
      profile().start = Clock::now();
      std::atexit(printAtExit);
    }
    return on;
  }();
  return enabled;
}

void recordProfile(const std::string &name, double seconds) {
  Profile &state = profile();
  std::lock_guard<std::mutex> lock(state.mutex);
  Row &row = state.rows[name];
  row.calls += 1;
  row.seconds += seconds;
}

ProfileScope::ProfileScope(std::string name) {
  if (!profiling() || openScopes++ > 0)
    return;
  recording = true;
  this->name = std::move(name);
  start = Clock::now();
}

ProfileScope::~ProfileScope() {
  if (!profiling())
    return;
  --openScopes;
  if (recording)
    recordProfile(name,
                  std::chrono::duration<double>(Clock::now() - start).count());
}

void printProfile(std::FILE *out) {
  Profile &state = profile();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.rows.empty())
    return;
  double wall =
      std::chrono::duration<double>(Clock::now() - state.start).count();
  std::vector<std::pair<std::string, Row>> rows(state.rows.begin(),
                                                state.rows.end());
  std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
    return a.second.seconds != b.second.seconds
               ? a.second.seconds > b.second.seconds
               : a.first < b.first;
  });
  double counted = 0;
  std::string background = kBackgroundProfileSuffix;
  for (const auto &row : rows) {
    const std::string &name = row.first;
    bool onItsOwnThread = name.size() >= background.size() &&
                          name.compare(name.size() - background.size(),
                                       background.size(), background) == 0;
    if (!onItsOwnThread)
      counted += row.second.seconds;
  }
  std::fprintf(out,
               "sluice profile (SLUICE_PROFILE): %.3f s from start-up to exit\n"
               "%-44s %9s %11s %10s %7s\n",
               wall, "where", "calls", "total ms", "ms/call", "share");
  auto print = [&](const std::string &name, int64_t calls, double seconds) {
    std::fprintf(out, "%-44s %9lld %11.2f %10.4f %6.1f%%\n", name.c_str(),
                 static_cast<long long>(calls), seconds * 1e3,
                 calls ? seconds * 1e3 / double(calls) : 0.0,
                 wall > 0 ? 100.0 * seconds / wall : 0.0);
  };
  for (const auto &row : rows)
    print(row.first, row.second.calls, row.second.seconds);
  // Nested scopes are not recorded, so the rows do not overlap; time spent
  // on threads other than the caller's could make them exceed the wall.
  print("(everything else: generated host code)", 0,
        std::max(0.0, wall - counted));
  // Memory, the other thing a training run is judged by: the process's peak
  // resident set (ru_maxrss, KiB on Linux), and for CUDA tensor programs
  // the peak of their buffers in managed memory.
  constexpr double kMiB = 1024.0 * 1024.0;
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) == 0)
    std::fprintf(out, "peak memory: %.1f MiB resident on the host\n",
                 double(usage.ru_maxrss) * 1024.0 / kMiB);
  UnifiedHeapStats heap = unifiedHeapStats();
  if (heap.peakLiveBytes > 0)
    std::fprintf(out,
                 "unified heap (the buffers of a CUDA program): peak %.1f MiB "
                 "in use, %.1f MiB held\n",
                 double(heap.peakLiveBytes) / kMiB,
                 double(heap.peakHeldBytes) / kMiB);
  // Whether sampling ahead paid: a sample taken was one the program did not
  // wait for in full.
  SampleAheadCounts ahead = sampleAheadCounts();
  if (ahead.started > 0)
    std::fprintf(out,
                 "sampling ahead: %lld of %lld samples started in the "
                 "background were taken\n",
                 static_cast<long long>(ahead.taken),
                 static_cast<long long>(ahead.started));
}

void resetProfile() {
  Profile &state = profile();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.rows.clear();
  state.start = Clock::now();
}

} // namespace sluice::rt
