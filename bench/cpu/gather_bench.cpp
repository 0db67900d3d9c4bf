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
// gathered rows. With --sweep it prints instead the huge-page gather's GB/s
// for each prefetch distance and store kind (GatherTuning), to find a
// host's best settings.
// Usage: gather_bench [--table-mib=N] [--indices=N] [--reps=N] [--sweep]
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

std::vector<int64_t> randomIndices(std::mt19937_64 &rng, int64_t count,
                                   int64_t rows) {
  std::vector<int64_t> indices(count);
  for (int64_t &index : indices)
    index = int64_t(rng() % rows);
  return indices;
}

/// A copy split over every thread.
void copyOnAllThreads(char *out, const char *source, size_t bytes) {
  parallelFor(numThreads(), 1, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      size_t chunk = (bytes + numThreads() - 1) / numThreads();
      size_t from = std::min(bytes, size_t(t) * chunk);
      size_t to = std::min(bytes, from + chunk);
      std::memcpy(out + from, source + from, to - from);
    }
  });
}

void gatherOrExit(const char *table, int64_t rows, int64_t rowBytes,
                  const int64_t *indices, int64_t count, char *out) {
  std::string error;
  if (!gatherRows(table, rows, rowBytes, indices, count, out, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    std::exit(1);
  }
}

/// One named GatherTuning of a sweep.
struct Setting {
  std::string name;
  GatherTuning tuning;
};

/// A table of the huge-page gather's GB/s: a row per row size, a column per
/// setting, then the best setting and its ratio to the all-thread memcpy.
void sweepTable(const std::string &title, const std::vector<Setting> &settings,
                const std::vector<int64_t> &rowSizes, const char *table,
                size_t tableBytes, char *out, const char *source, int64_t count,
                int reps, std::mt19937_64 &rng) {
  const GatherTuning defaults = gatherTuning();
  std::printf("%s\n%6s %6s", title.c_str(), "row B", "memcpy");
  for (const Setting &setting : settings)
    std::printf(" %7s", setting.name.c_str());
  std::printf(" | %9s %9s\n", "best", "best/mcp");
  for (int64_t rowBytes : rowSizes) {
    int64_t rows = tableBytes / rowBytes;
    std::vector<int64_t> indices = randomIndices(rng, count, rows);
    double bytes = double(count) * rowBytes;
    double copy =
        medianSeconds(reps, [&] { copyOnAllThreads(out, source, bytes); });
    std::printf("%6lld %6.1f", (long long)rowBytes, bytes / copy / 1e9);
    double best = 1e30;
    std::string bestName;
    for (const Setting &setting : settings) {
      gatherTuning() = setting.tuning;
      double s = medianSeconds(reps, [&] {
        gatherOrExit(table, rows, rowBytes, indices.data(), count, out);
      });
      std::printf(" %7.1f", bytes / s / 1e9);
      if (s < best) {
        best = s;
        bestName = setting.name;
      }
    }
    std::printf(" | %9s %9.2f\n", bestName.c_str(), copy / best);
  }
  gatherTuning() = defaults;
}

/// The huge-page gather's GB/s by prefetch distance with non-temporal (nt)
/// and ordinary (st) stores, then, for long rows, by how many lines of each
/// row are prefetched.
void sweep(const char *table, size_t tableBytes, char *out, const char *source,
           int64_t count, int reps) {
  const GatherTuning defaults = gatherTuning();
  std::mt19937_64 rng(1);
  // "auto": the defaults, 2 KiB of rows ahead (prefetchDistance).
  std::vector<Setting> byDistance{{"auto", defaults}};
  for (bool streaming : {true, false})
    for (int64_t distance : {0, 2, 4, 8, 16, 32, 64})
      byDistance.push_back(
          {(streaming ? "nt" : "st") + std::to_string(distance),
           GatherTuning{distance, defaults.prefetchLines, streaming}});
  sweepTable("huge-page gather GB/s by prefetch distance (rows ahead), "
             "non-temporal stores (nt) and ordinary ones (st); auto: the "
             "defaults (" +
                 std::to_string(defaults.prefetchBytes) +
                 " bytes of rows ahead, " +
                 (defaults.streamingStores ? "nt" : "st") + ")",
             byDistance, {256, 400, 1024, 4096}, table, tableBytes, out, source,
             count, reps, rng);
  std::vector<Setting> byLines;
  for (int64_t distance : {8, 16, 32})
    for (int64_t lines : {1, 2, 4, 8, 16})
      byLines.push_back(
          {std::to_string(distance) + "x" + std::to_string(lines),
           GatherTuning{distance, lines, defaults.streamingStores}});
  sweepTable("\nthe same, by lines prefetched per row (rows ahead x lines); "
             "default " +
                 std::to_string(defaults.prefetchLines) + " lines",
             byLines, {1024, 4096}, table, tableBytes, out, source, count, reps,
             rng);
}

} // namespace

int main(int argc, char **argv) {
  size_t tableMiB = 1024;
  int64_t count = 1 << 20;
  int reps = 5;
  bool sweepOnly = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--table-mib=", 0) == 0)
      tableMiB = std::stoul(arg.substr(12));
    else if (arg.rfind("--indices=", 0) == 0)
      count = std::stoll(arg.substr(10));
    else if (arg.rfind("--reps=", 0) == 0)
      reps = std::stoi(arg.substr(7));
    else if (arg == "--sweep")
      sweepOnly = true;
    else {
      std::fprintf(stderr,
                   "usage: %s [--table-mib=N] [--indices=N] [--reps=N] "
                   "[--sweep]\n",
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
  if (sweepOnly) {
    sweep(hugeTable, tableBytes, out, source, count, reps);
    return 0;
  }
  std::printf("%8s %12s %12s %12s %12s %12s | %10s %10s\n", "row B",
              "memcpy 1t", "memcpy all", "sluice 4K", "sluice huge",
              "sorted path", "vs memcpy", "sorted vs");
  std::mt19937_64 rng(1);
  for (int64_t rowBytes : {64, 128, 256, 400, 512, 1024, 4096}) {
    int64_t rows = tableBytes / rowBytes;
    std::vector<int64_t> indices = randomIndices(rng, count, rows);
    size_t bytes = size_t(count) * rowBytes;
    double copyOne =
        medianSeconds(reps, [&] { std::memcpy(out, source, bytes); });
    double copyAll =
        medianSeconds(reps, [&] { copyOnAllThreads(out, source, bytes); });
    double gather = medianSeconds(reps, [&] {
      gatherOrExit(table, rows, rowBytes, indices.data(), count, out);
    });
    double hugeGather = medianSeconds(reps, [&] {
      gatherOrExit(hugeTable, rows, rowBytes, indices.data(), count, out);
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
      gatherOrExit(hugeTable, rows, rowBytes, unique.data(), distinct, rowsOut);
      gatherOrExit(rowsOut, distinct, rowBytes, inverse.data(), count, out);
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
