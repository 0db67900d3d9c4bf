//===- gather_bench.cpp - CPU row-gather bandwidth ------------------------===//
//
// Gathers 1,048,576 uniformly random rows from a table several times the
// last-level cache with the runtime's gather (what compiled CPU programs
// call), from a table on ordinary 4 KiB pages and from one on the huge pages
// the runtime gives tables, against copying the same number of bytes
// contiguously with memcpy (one thread, and split over all threads), and the
// sorted path compiled programs take for host tables with
// --sort-gather-indices (the compiled sort and de-duplication, gather in
// address order, gather back; sort included); prints GB/s of
// gathered rows.
// Usage: gather_bench [--table-mib=N] [--indices=N] [--reps=N]
//
//===----------------------------------------------------------------------===//

#include "BenchCommon.h"
#include "sluice/Runtime/Gather.h"
#include "sluice/Runtime/HostTables.h"
#include "sluice/Runtime/Parallel.h"
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

using namespace sluice::rt;

namespace {

void *allocate(size_t bytes) {
  void *ptr = std::aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
  if (!ptr) {
    std::fprintf(stderr, "out of memory (%zu bytes)\n", bytes);
    std::exit(1);
  }
  std::memset(ptr, 1, bytes); // touch every page before timing
  return ptr;
}

} // namespace

int main(int argc, char **argv) {
  size_t tableMiB = 1024;
  int64_t count = 1 << 20;
  int reps = 5;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--table-mib=", 0) == 0)
      tableMiB = std::stoul(arg.substr(12));
    else if (arg.rfind("--indices=", 0) == 0)
      count = std::stoll(arg.substr(10));
    else if (arg.rfind("--reps=", 0) == 0)
      reps = std::stoi(arg.substr(7));
    else {
      std::fprintf(stderr,
                   "usage: %s [--table-mib=N] [--indices=N] [--reps=N]\n",
                   argv[0]);
      return 2;
    }
  }
  size_t tableBytes = tableMiB << 20;
  char *table = static_cast<char *>(allocate(tableBytes));
  std::string mapError;
  char *hugeTable = static_cast<char *>(mapTableMemory(tableBytes, mapError));
  if (!hugeTable) {
    std::fprintf(stderr, "%s\n", mapError.c_str());
    return 1;
  }
  std::memset(hugeTable, 1, tableBytes);
  char *out = static_cast<char *>(allocate(count * 4096));
  char *source = static_cast<char *>(allocate(count * 4096));
  std::printf("table %zu MiB, %lld random indices, %d threads, median of %d\n",
              tableMiB, (long long)count, numThreads(), reps);
  std::printf("%8s %12s %12s %12s %12s %12s | %10s %10s\n", "row B",
              "memcpy 1t", "memcpy all", "sluice 4K", "sluice huge",
              "sorted path", "vs memcpy", "sorted vs");
  std::mt19937_64 rng(1);
  for (int64_t rowBytes : {64, 128, 256, 400, 512, 1024, 4096}) {
    int64_t rows = tableBytes / rowBytes;
    std::vector<int64_t> indices(count);
    for (int64_t &index : indices)
      index = int64_t(rng() % rows);
    size_t bytes = size_t(count) * rowBytes;
    double copyOne =
        medianSeconds(reps, [&] { std::memcpy(out, source, bytes); });
    double copyAll = medianSeconds(reps, [&] {
      parallelFor(numThreads(), 1, [&](int64_t begin, int64_t end) {
        for (int64_t t = begin; t < end; ++t) {
          size_t chunk = (bytes + numThreads() - 1) / numThreads();
          size_t from = std::min(bytes, size_t(t) * chunk);
          size_t to = std::min(bytes, from + chunk);
          std::memcpy(out + from, source + from, to - from);
        }
      });
    });
    std::string error;
    double gather = medianSeconds(reps, [&] {
      if (!gatherRows(table, rows, rowBytes, indices.data(), count, out,
                      error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        std::exit(1);
      }
    });
    double hugeGather = medianSeconds(reps, [&] {
      if (!gatherRows(hugeTable, rows, rowBytes, indices.data(), count, out,
                      error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        std::exit(1);
      }
    });
    // What a compiled program does for a host table with
    // --sort-gather-indices: sort and de-duplicate the indices (the compiled
    // sort of sort_kernels.mlir), gather the distinct rows in address order,
    // gather those back by the inverse map. Timed whole, sort included.
    std::vector<int64_t> unique(count), inverse(count);
    char *rowsOut = source; // scratch of the right size
    double sortedPath = medianSeconds(reps, [&] {
      IdVector idsRef = idVector(indices), uniqueRef = idVector(unique),
               inverseRef = idVector(inverse);
      int64_t distinct =
          _mlir_ciface_sort_unique_ids(&idsRef, &uniqueRef, &inverseRef);
      if (!gatherRows(hugeTable, rows, rowBytes, unique.data(), distinct,
                      rowsOut, error) ||
          !gatherRows(rowsOut, distinct, rowBytes, inverse.data(), count, out,
                      error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        std::exit(1);
      }
    });
    auto gbps = [&](double s) { return bytes / s / 1e9; };
    double best = std::min(copyOne, copyAll);
    std::printf("%8lld %12.2f %12.2f %12.2f %12.2f %12.2f | %10.2f %10.2f\n",
                (long long)rowBytes, gbps(copyOne), gbps(copyAll), gbps(gather),
                gbps(hugeGather), gbps(sortedPath),
                best / std::min(gather, hugeGather), best / sortedPath);
  }
  return 0;
}
