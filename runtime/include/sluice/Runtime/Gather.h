//===- Gather.h - CPU row gathers -------------------------------*- C++ -*-===//

#ifndef SLUICE_RUNTIME_GATHER_H
#define SLUICE_RUNTIME_GATHER_H

#include <cstdint>
#include <string>

namespace sluice::rt {

/// `out[i] = table[indices[i]]` for `count` rows of `rowBytes` bytes, on the
/// runtime's thread pool. Every index is checked against `[0, numRows)`
/// before its row is read; on a bad one, returns false with `error` naming
/// its position and value (the output is then unspecified).
bool gatherRows(const void *table, int64_t numRows, int64_t rowBytes,
                const int64_t *indices, int64_t count, void *out,
                std::string &error);

/// How gatherRows reads and writes; benchmarks sweep it (bench/cpu's
/// gather_bench --sweep) to find the settings for a host. Programs use the
/// defaults.
struct GatherTuning {
  /// Rows ahead of the one being copied whose lines are prefetched; 0
  /// prefetches nothing.
  int64_t prefetchRows = 16;
  /// The most 64-byte lines of each such row prefetched (the hardware
  /// streams the rest of a long row once its first lines are asked for).
  int64_t prefetchLines = 16;
  /// Whether outputs past the last-level cache are written with
  /// non-temporal stores.
  bool streamingStores = true;
};

/// The tuning every gatherRows call uses. Set it only while no gather runs.
GatherTuning &gatherTuning();

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_GATHER_H
