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
  /// prefetchRows' default: as many rows ahead as keep `prefetchBytes` of
  /// their lines in flight.
  static constexpr int64_t kByBytes = -1;
  /// Rows ahead of the one being copied whose lines are prefetched; 0
  /// prefetches nothing.
  int64_t prefetchRows = kByBytes;
  /// The most 64-byte lines of each such row prefetched (the hardware
  /// streams the rest of a long row once its first lines are asked for).
  int64_t prefetchLines = 16;
  /// Whether outputs past the last-level cache are written with
  /// non-temporal stores.
  bool streamingStores = true;
  /// With kByBytes: the bytes of upcoming rows each thread asks for ahead
  /// (the prefetched lines counted), 1 to 16 rows. About 2 KiB was at or
  /// near the fastest for each row size from 256 B to 4 KiB on a 16-core
  /// Xeon, where 16 rows ahead at every size was 40% slower at 1 KiB
  /// (docs/performance.md).
  int64_t prefetchBytes = 2048;
};

/// The tuning every gatherRows call uses. Set it only while no gather runs.
GatherTuning &gatherTuning();

/// How many rows ahead gatherRows prefetches rows of `rowBytes` bytes under
/// `tuning`.
int64_t prefetchDistance(const GatherTuning &tuning, int64_t rowBytes);

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_GATHER_H
