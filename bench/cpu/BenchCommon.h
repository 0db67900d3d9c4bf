//===- BenchCommon.h - what the CPU benchmarks share -------------*- C++
//-*-===//
//
// Timing, and the compiled index sort of sort_kernels.mlir as C sees it.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_BENCH_CPU_BENCHCOMMON_H
#define SLUICE_BENCH_CPU_BENCHCOMMON_H

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

/// A memref<?xi64> as compiled code takes it.
struct IdVector {
  int64_t *allocated;
  int64_t *aligned;
  int64_t offset, size, stride;
};

// bench/cpu/sort_kernels.mlir, compiled by sluice: sluice.sort_unique_into.
extern "C" int64_t _mlir_ciface_sort_unique_ids(IdVector *ids, IdVector *unique,
                                                IdVector *inverse);

inline IdVector idVector(std::vector<int64_t> &values) {
  return {values.data(), values.data(), 0, int64_t(values.size()), 1};
}

/// The median of `reps` timed calls of `fn`, after one untimed call.
inline double medianSeconds(int reps, const std::function<void()> &fn) {
  fn();
  std::vector<double> times;
  for (int i = 0; i < reps; ++i) {
    auto start = std::chrono::steady_clock::now();
    fn();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

#endif // SLUICE_BENCH_CPU_BENCHCOMMON_H
