//===- sort_bench.cpp - sorting and de-duplicating gather indices ---------===//
//
// What sorting a batch's ids costs on the CPU: the runtime's radix sort
// (sluice_rt_sort_unique, one thread) against the compiled
// sluice.sort_unique_into of bench/cpu/sort_kernels.mlir, which
// sluice-expand-sort-unique turns into a bitmap built by parallel loops
// on the runtime's thread pool while the largest id is below 32 times their
// count. Uniformly random ids below `rows`, for several rows per id; both
// outputs are compared before anything is timed.
// Usage: sort_bench [--ids=N] [--reps=N]
//
//===----------------------------------------------------------------------===//

#include "BenchCommon.h"
#include "sluice/Runtime/Runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  int64_t count = 1 << 20;
  int reps = 5;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--ids=", 0) == 0)
      count = std::atoll(arg.c_str() + 6);
    else if (arg.rfind("--reps=", 0) == 0)
      reps = std::atoi(arg.c_str() + 7);
    else if (arg.rfind("--table-mib=", 0) == 0 ||
             arg.rfind("--indices=", 0) == 0)
      continue; // gather_bench's flags, passed through by run.sh
    else {
      std::fprintf(stderr, "usage: sort_bench [--ids=N] [--reps=N]\n");
      return 2;
    }
  }
  if (count < 1 || reps < 1) {
    std::fprintf(stderr, "sort_bench: --ids and --reps must be positive\n");
    return 2;
  }
  std::printf("sorting %lld random ids (distinct values ascending + inverse "
              "map), median of %d, ms\n",
              (long long)count, reps);
  std::printf("%10s %10s %12s %12s | %8s\n", "rows/id", "distinct",
              "runtime sort", "compiled", "speed-up");
  std::mt19937_64 rng(5);
  std::vector<int64_t> ids(count), unique(count), inverse(count),
      refUnique(count), refInverse(count);
  for (int64_t rowsPerId : {1, 4, 16, 31, 63, 256}) {
    int64_t rows = count * rowsPerId;
    for (int64_t &id : ids)
      id = int64_t(rng() % uint64_t(rows));
    IdVector idsRef = idVector(ids), uniqueRef = idVector(unique),
             inverseRef = idVector(inverse);
    int64_t reference =
        sluice_rt_sort_unique(reinterpret_cast<intptr_t>(ids.data()), count,
                              reinterpret_cast<intptr_t>(refUnique.data()),
                              reinterpret_cast<intptr_t>(refInverse.data()));
    int64_t distinct =
        _mlir_ciface_sort_unique_ids(&idsRef, &uniqueRef, &inverseRef);
    if (distinct != reference ||
        !std::equal(unique.begin(), unique.begin() + distinct,
                    refUnique.begin()) ||
        inverse != refInverse) {
      std::fprintf(stderr,
                   "sort_bench: the compiled sort differs from the "
                   "runtime's at %lld rows per id\n",
                   (long long)rowsPerId);
      return 1;
    }
    double runtime = medianSeconds(reps, [&] {
      sluice_rt_sort_unique(reinterpret_cast<intptr_t>(ids.data()), count,
                            reinterpret_cast<intptr_t>(refUnique.data()),
                            reinterpret_cast<intptr_t>(refInverse.data()));
    });
    double compiled = medianSeconds(reps, [&] {
      _mlir_ciface_sort_unique_ids(&idsRef, &uniqueRef, &inverseRef);
    });
    std::printf("%10lld %10lld %12.2f %12.2f | %8.2f\n", (long long)rowsPerId,
                (long long)distinct, runtime * 1e3, compiled * 1e3,
                runtime / compiled);
  }
  return 0;
}
