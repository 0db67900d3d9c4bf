//===- gather_bench.cpp - GPU gather correctness and bandwidth ------------===//
//
// Runs on a GPU machine (bench/gpu/run.sh). First checks every compiled
// gather variant against the CPU reference, bit for bit; then prints the
// bandwidth table of TECHNIQUES.md section 1 (zero-copy naive / rotated /
// shifted, staged, device-resident, and the pinned host-to-device copy of the
// same bytes on the same link); then measures overlapping a gather with
// compute. Exits non-zero if any output differs from the reference.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/CudaDriver.h"
#include "sluice/Runtime/Gather.h"
#include "sluice/Runtime/Parallel.h"
#include "sluice/Runtime/Runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <sys/mman.h>

using namespace sluice::rt;

namespace {

template <int Rank> struct MemRef {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizes[Rank];
  int64_t strides[Rank];
};

MemRef<2> matrix(void *data, int64_t rows, int64_t columns) {
  return {data, data, 0, {rows, columns}, {columns, 1}};
}
MemRef<1> vector(void *data, int64_t size) {
  return {data, data, 0, {size}, {1}};
}

} // namespace

extern "C" {
#define GATHER(name)                                                           \
  void _mlir_ciface_##name(MemRef<2> *, MemRef<1> *, MemRef<2> *);
GATHER(gather_zero_copy)
GATHER(gather_zero_copy_rotate)
GATHER(gather_zero_copy_shift)
GATHER(gather_device)
GATHER(wide_gather_zero_copy)
GATHER(wide_gather_zero_copy_rotate)
GATHER(wide_gather_zero_copy_shift)
#undef GATHER
void _mlir_ciface_compute(MemRef<1> *, int64_t);
void _mlir_ciface_step_serial(MemRef<2> *, MemRef<1> *, MemRef<2> *,
                              MemRef<1> *, int64_t);
void _mlir_ciface_step_overlapped(MemRef<2> *, MemRef<1> *, MemRef<2> *,
                                  MemRef<1> *, int64_t);
void _mlir_ciface_train_loop(MemRef<2> *, MemRef<1> *, MemRef<1> *, int64_t,
                             int64_t, int64_t, int64_t);
void _mlir_ciface_train_loop_serial(MemRef<2> *, MemRef<1> *, MemRef<1> *,
                                    int64_t, int64_t, int64_t, int64_t);
void _mlir_ciface_train_loop_device(MemRef<2> *, MemRef<1> *, MemRef<1> *,
                                    int64_t, int64_t, int64_t, int64_t);
void _mlir_ciface_train_loop_serial_device(MemRef<2> *, MemRef<1> *,
                                           MemRef<1> *, int64_t, int64_t,
                                           int64_t, int64_t);
void _mlir_ciface_probe_compute_only(MemRef<1> *, int64_t, int64_t);
// bench/cpu/sort_kernels.mlir for CUDA: the index sort as kernels.
int64_t _mlir_ciface_sort_unique_ids(MemRef<1> *, MemRef<1> *, MemRef<1> *);
void _mlir_ciface_probe_gather_only(MemRef<2> *, MemRef<1> *, int64_t, int64_t,
                                    int64_t);
void _mlir_ciface_probe_gather_only_device(MemRef<2> *, MemRef<1> *, int64_t,
                                           int64_t, int64_t);
}

namespace {

using GatherFn = void (*)(MemRef<2> *, MemRef<1> *, MemRef<2> *);

struct Variant {
  const char *name;
  GatherFn fn;
  bool onDevice; // reads the device copy of the table
};

const Variant kVariants[] = {
    {"zero-copy naive", _mlir_ciface_gather_zero_copy, false},
    {"zero-copy rotate", _mlir_ciface_gather_zero_copy_rotate, false},
    {"zero-copy shift", _mlir_ciface_gather_zero_copy_shift, false},
    {"zero-copy naive, uncapped", _mlir_ciface_wide_gather_zero_copy, false},
    {"zero-copy rotate, uncapped", _mlir_ciface_wide_gather_zero_copy_rotate,
     false},
    {"zero-copy shift, uncapped", _mlir_ciface_wide_gather_zero_copy_shift,
     false},
    {"device-resident", _mlir_ciface_gather_device, true},
};

const CudaDriver &cuda() { return cudaDriver(); }

void *deviceAlloc(size_t bytes) {
  CUdeviceptr ptr = 0;
  checkCuda(cuda().cuMemAlloc(&ptr, std::max<size_t>(bytes, 256)),
            "cuMemAlloc");
  return reinterpret_cast<void *>(ptr);
}
void *managedAlloc(size_t bytes) {
  CUdeviceptr ptr = 0;
  checkCuda(cuda().cuMemAllocManaged(&ptr, std::max<size_t>(bytes, 256),
                                     CU_MEM_ATTACH_GLOBAL),
            "cuMemAllocManaged");
  return reinterpret_cast<void *>(ptr);
}
void deviceFree(void *ptr) {
  checkCuda(cuda().cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)), "cuMemFree");
}
void copy(void *dst, const void *src, size_t bytes) {
  if (bytes == 0)
    return;
  checkCuda(cuda().cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                                 reinterpret_cast<CUdeviceptr>(src), bytes,
                                 nullptr),
            "cuMemcpyAsync");
  checkCuda(cuda().cuCtxSynchronize(), "cuCtxSynchronize");
}
void *pinnedAlloc(size_t bytes) {
  void *ptr = nullptr;
  checkCuda(cuda().cuMemHostAlloc(&ptr, std::max<size_t>(bytes, 256),
                                  CU_MEMHOSTALLOC_PORTABLE),
            "cuMemHostAlloc");
  return ptr;
}
void *hostAlloc(size_t bytes) {
  size_t rounded = (std::max<size_t>(bytes, 1) + 4095) / 4096 * 4096;
  void *ptr = std::aligned_alloc(4096, rounded);
  if (!ptr) {
    std::fprintf(stderr, "out of host memory (%zu bytes)\n", rounded);
    std::exit(1);
  }
  return ptr;
}

/// Fills with a cheap per-word hash, in parallel: random bits, so that any
/// misplaced byte shows.
void fillRandom(void *data, size_t bytes, uint64_t seed) {
  auto *words = static_cast<uint32_t *>(data);
  size_t count = bytes / 4;
  parallelFor(count, 1 << 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      uint64_t z = (uint64_t(i) + seed) * 0x9E3779B97F4A7C15ull;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      words[i] = uint32_t(z ^ (z >> 31));
    }
  });
}

double seconds(const std::function<void()> &fn) {
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// Median of `reps` timed runs after one warm-up.
double medianSeconds(int reps, const std::function<void()> &fn) {
  fn();
  std::vector<double> times;
  for (int i = 0; i < reps; ++i)
    times.push_back(seconds(fn));
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

//===----------------------------------------------------------------------===//
// Correctness
//===----------------------------------------------------------------------===//

struct Case {
  int64_t columns, rows, count;
};

int checkCorrectness() {
  const Case cases[] = {
      {1, 5000, 1000}, {3, 777, 1000},   {16, 5000, 100003},  {25, 5000, 1000},
      {32, 777, 4096}, {64, 5000, 1000}, {100, 5000, 100003}, {100, 1, 17},
      {100, 777, 0},   {127, 777, 1000}, {250, 5000, 1000},   {1024, 777, 1000},
      {1024, 1, 3},
  };
  std::mt19937_64 rng(42);
  int failures = 0, checks = 0;
  for (const Case &c : cases) {
    size_t rowBytes = c.columns * 4;
    size_t tableBytes = c.rows * rowBytes;
    void *table = hostAlloc(tableBytes);
    fillRandom(table, tableBytes, rng());
    // Zero-copy kernels read through the mapped address the runtime returns
    // (the host address itself on systems with unified addressing).
    void *mapped = sluice_rt_register_host_table(table, tableBytes);
    if (!mapped)
      return 1;
    void *deviceTable = deviceAlloc(tableBytes);
    copy(deviceTable, table, tableBytes);

    std::vector<int64_t> indices(c.count);
    for (int64_t &index : indices)
      index = rng() % 3 == 0 ? 0 : int64_t(rng() % c.rows);
    std::vector<uint8_t> expected(c.count * rowBytes);
    std::string error;
    if (!gatherRows(table, c.rows, rowBytes, indices.data(), c.count,
                    expected.data(), error)) {
      std::fprintf(stderr, "reference gather failed: %s\n", error.c_str());
      return 1;
    }
    void *deviceIndices = deviceAlloc(c.count * 8);
    copy(deviceIndices, indices.data(), c.count * 8);
    void *out = deviceAlloc(c.count * rowBytes);
    std::vector<uint8_t> got(c.count * rowBytes);

    for (const Variant &variant : kVariants) {
      checkCuda(cuda().cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(out),
                                        0xDEADBEEF, c.count * c.columns,
                                        nullptr),
                "cuMemsetD32Async");
      MemRef<2> source =
          matrix(variant.onDevice ? deviceTable : mapped, c.rows, c.columns);
      MemRef<1> index = vector(deviceIndices, c.count);
      MemRef<2> dest = matrix(out, c.count, c.columns);
      variant.fn(&source, &index, &dest);
      copy(got.data(), out, got.size());
      ++checks;
      if (got != expected) {
        ++failures;
        std::printf("MISMATCH %-28s rows of %5zu B, %5lld-row table, %6lld "
                    "indices\n",
                    variant.name, rowBytes, (long long)c.rows,
                    (long long)c.count);
      }
    }
    deviceFree(out);
    deviceFree(deviceIndices);
    deviceFree(deviceTable);
    sluice_rt_unregister_host_table(table);
    std::free(table);
  }
  std::printf("correctness: %d of %d gathers equal the CPU reference bit for "
              "bit (%zu cases x %zu variants)\n\n",
              checks - failures, checks, sizeof(cases) / sizeof(cases[0]),
              sizeof(kVariants) / sizeof(kVariants[0]));
  return failures;
}

/// The compiled index sort on the GPU (sluice-expand-sort-unique's kernels,
/// or the host sort where the ids are sparse or one is negative) against the
/// runtime's host sort: distinct values and inverse map, entry for entry.
int checkSorts() {
  struct SortCase {
    int64_t count, below, last; // ids below `below`; last id replaced if >= -1
  };
  const SortCase cases[] = {
      {5000, 7000, -2},
      {0, 1, -2},
      {1, 1, -2},
      {100, 1, -2},
      {20000, 3000, -2},
      {1000, 1024000, 1023999}, // the largest id inside CUDA's default range
      {1000, 1024000, 1024000}, // and just outside it: the host sort
      {100, 1000, -1},
      {1 << 20, 1 << 22, -2},
      {1 << 20, 1 << 25, -2},
      {1000, int64_t(1) << 40, -2}, // too sparse for the bitmap: host sort
  };
  std::mt19937_64 rng(17);
  int failures = 0, checks = 0;
  for (const SortCase &c : cases) {
    std::vector<int64_t> ids(c.count);
    for (int64_t &id : ids)
      id = int64_t(rng() % uint64_t(c.below));
    if (c.last >= -1 && c.count > 0)
      ids.back() = c.last;
    std::vector<int64_t> unique(c.count), inverse(c.count);
    int64_t expected =
        sluice_rt_sort_unique(reinterpret_cast<intptr_t>(ids.data()), c.count,
                              reinterpret_cast<intptr_t>(unique.data()),
                              reinterpret_cast<intptr_t>(inverse.data()));
    auto *managedIds = static_cast<int64_t *>(managedAlloc(c.count * 8));
    auto *managedUnique = static_cast<int64_t *>(managedAlloc(c.count * 8));
    auto *managedInverse = static_cast<int64_t *>(managedAlloc(c.count * 8));
    std::copy(ids.begin(), ids.end(), managedIds);
    MemRef<1> idsRef = vector(managedIds, c.count),
              uniqueRef = vector(managedUnique, c.count),
              inverseRef = vector(managedInverse, c.count);
    int64_t got =
        _mlir_ciface_sort_unique_ids(&idsRef, &uniqueRef, &inverseRef);
    checkCuda(cuda().cuCtxSynchronize(), "cuCtxSynchronize");
    ++checks;
    if (got != expected ||
        !std::equal(unique.begin(), unique.begin() + expected, managedUnique) ||
        !std::equal(inverse.begin(), inverse.end(), managedInverse)) {
      ++failures;
      std::printf("MISMATCH index sort: %lld ids below %lld (last %lld): %lld "
                  "distinct, expected %lld\n",
                  (long long)c.count, (long long)c.below, (long long)c.last,
                  (long long)got, (long long)expected);
    }
    for (void *buffer :
         {(void *)managedIds, (void *)managedUnique, (void *)managedInverse})
      deviceFree(buffer);
  }
  std::printf("correctness: %d of %d index sorts on the GPU equal the host "
              "sort's\n\n",
              checks - failures, checks);
  return failures;
}

//===----------------------------------------------------------------------===//
// Bandwidth
//===----------------------------------------------------------------------===//

/// The pinned copy's and the staged path's seconds per row size, as the
/// bandwidth table measured them (the same bytes), for the sorted path's
/// ratios against issue 4's targets.
std::map<int64_t, std::pair<double, double>> &linkSeconds() {
  static std::map<int64_t, std::pair<double, double>> seconds;
  return seconds;
}

void bandwidthTable(size_t tableBytes, int64_t count, int reps) {
  std::printf("bandwidth: %lld random indices into a %.1f GiB f32 table, "
              "median of %d runs, GB/s of gathered rows\n",
              (long long)count, tableBytes / double(1 << 30), reps);
  void *table = hostAlloc(tableBytes);
  fillRandom(table, tableBytes, 7);
  void *mapped = nullptr;
  double registerSeconds = seconds([&] {
    if (!(mapped = sluice_rt_register_host_table(table, tableBytes)))
      std::exit(1);
  });
  void *deviceTable = deviceAlloc(tableBytes);
  copy(deviceTable, table, tableBytes);
  std::printf("(registering the table took %.2f s; mapped address %s the "
              "host address)\n",
              registerSeconds, mapped == table ? "equals" : "differs from");

  const int64_t rowSizes[] = {64, 128, 256, 400, 512, 1024, 4096};
  size_t maxOut = count * 4096;
  void *out = deviceAlloc(maxOut);
  void *staging = pinnedAlloc(maxOut);
  void *deviceIndices = deviceAlloc(count * 8);
  std::mt19937_64 rng(1);

  std::printf("%8s %9s %9s %9s %9s %9s %9s %9s %9s %9s | %8s %8s\n", "row B",
              "h2d copy", "zc naive", "zc rot", "zc shift", "naive/u", "rot/u",
              "shift/u", "staged", "device", "best/h2d", "best/stg");
  for (int64_t rowBytes : rowSizes) {
    int64_t columns = rowBytes / 4;
    int64_t rows = tableBytes / rowBytes;
    std::vector<int64_t> indices(count);
    for (int64_t &index : indices)
      index = int64_t(rng() % rows);
    copy(deviceIndices, indices.data(), count * 8);
    double bytes = double(count) * rowBytes;
    MemRef<1> index = vector(deviceIndices, count);
    MemRef<2> dest = matrix(out, count, columns);

    double h2d = medianSeconds(reps, [&] { copy(out, staging, bytes); });
    std::vector<double> variantSeconds;
    for (const Variant &variant : kVariants) {
      MemRef<2> source =
          matrix(variant.onDevice ? deviceTable : mapped, rows, columns);
      variantSeconds.push_back(
          medianSeconds(reps, [&] { variant.fn(&source, &index, &dest); }));
    }
    std::string error;
    double staged = medianSeconds(reps, [&] {
      if (!gatherRows(table, rows, rowBytes, indices.data(), count, staging,
                      error))
        std::exit(1);
      copy(out, staging, bytes);
    });
    double bestZeroCopy =
        *std::min_element(variantSeconds.begin(), variantSeconds.end() - 1);
    linkSeconds()[rowBytes] = {h2d, staged};
    auto gbps = [&](double s) { return bytes / s / 1e9; };
    std::printf("%8lld %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f "
                "| %8.2f %8.2f\n",
                (long long)rowBytes, gbps(h2d), gbps(variantSeconds[0]),
                gbps(variantSeconds[1]), gbps(variantSeconds[2]),
                gbps(variantSeconds[3]), gbps(variantSeconds[4]),
                gbps(variantSeconds[5]), gbps(staged), gbps(variantSeconds[6]),
                h2d / bestZeroCopy, staged / bestZeroCopy);
  }
  std::printf("(zc = zero-copy with at most 10240 gather threads; /u = "
              "uncapped grid; best = fastest zero-copy variant)\n\n");

  // Overlap: a batch step whose compute takes about as long as its gather.
  int64_t columns = 100, rows = tableBytes / 400;
  std::vector<int64_t> indices(count);
  for (int64_t &index : indices)
    index = int64_t(rng() % rows);
  copy(deviceIndices, indices.data(), count * 8);
  MemRef<2> source = matrix(mapped, rows, columns);
  MemRef<1> index = vector(deviceIndices, count);
  MemRef<2> dest = matrix(out, count, columns);
  int64_t workSize = 1 << 22;
  void *work = deviceAlloc(workSize * 4);
  checkCuda(cuda().cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(work),
                                    0x3f800000, workSize, nullptr),
            "cuMemsetD32Async");
  MemRef<1> workRef = vector(work, workSize);
  double gather = medianSeconds(reps, [&] {
    _mlir_ciface_gather_zero_copy_rotate(&source, &index, &dest);
  });
  int64_t iterations = 1000;
  double computeProbe =
      medianSeconds(3, [&] { _mlir_ciface_compute(&workRef, iterations); });
  iterations =
      std::max<int64_t>(1, int64_t(iterations * gather / computeProbe));
  double compute =
      medianSeconds(reps, [&] { _mlir_ciface_compute(&workRef, iterations); });
  double serial = medianSeconds(reps, [&] {
    _mlir_ciface_step_serial(&source, &index, &dest, &workRef, iterations);
  });
  double overlapped = medianSeconds(reps, [&] {
    _mlir_ciface_step_overlapped(&source, &index, &dest, &workRef, iterations);
  });
  std::printf("overlap (400 B rows, rotated zero-copy gather, compute matched "
              "to it):\n");
  std::printf("  gather alone %.2f ms, compute alone %.2f ms, serial %.2f ms, "
              "overlapped %.2f ms\n",
              gather * 1e3, compute * 1e3, serial * 1e3, overlapped * 1e3);
  std::printf("  overlapped / max(gather, compute) = %.2f (target <= 1.10); "
              "serial / overlapped = %.2f\n",
              overlapped / std::max(gather, compute), serial / overlapped);

  // The same, compiled: a batch loop pipelined by sluice-overlap-transfers
  // against the same loop built with --no-overlap, with its buffer in
  // managed memory (what a tensor program's unified heap gives) and in
  // device memory. Many different batches, as in an epoch. Each loop is
  // compared with its two stages as it runs them: the same loop with only
  // its gathers (each batch's rows new, so not in the GPU's L2 cache) and
  // with only its compute kernels, the compute matched to that gather.
  int64_t batches = 64, batch = count / batches;
  int loopReps = std::max(reps, 5);
  std::printf("overlap pass (a compiled loop of %lld batches of %lld rows, "
              "median of %d):\n",
              (long long)batches, (long long)batch, loopReps);
  for (bool deviceBuffer : {false, true}) {
    double gatherLoop = medianSeconds(loopReps, [&] {
      if (deviceBuffer)
        _mlir_ciface_probe_gather_only_device(&source, &index, batch, batches,
                                              columns);
      else
        _mlir_ciface_probe_gather_only(&source, &index, batch, batches,
                                       columns);
    });
    // `iterations` of compute take as long as the whole gather (`gather`).
    int64_t loopIterations = std::max<int64_t>(
        1, int64_t(iterations * gatherLoop / batches / gather));
    double computeLoop = medianSeconds(loopReps, [&] {
      _mlir_ciface_probe_compute_only(&workRef, loopIterations, batches);
    });
    double pipelined = medianSeconds(loopReps, [&] {
      if (deviceBuffer)
        _mlir_ciface_train_loop_device(&source, &index, &workRef,
                                       loopIterations, batch, batches, columns);
      else
        _mlir_ciface_train_loop(&source, &index, &workRef, loopIterations,
                                batch, batches, columns);
    });
    double serialLoop = medianSeconds(loopReps, [&] {
      if (deviceBuffer)
        _mlir_ciface_train_loop_serial_device(
            &source, &index, &workRef, loopIterations, batch, batches, columns);
      else
        _mlir_ciface_train_loop_serial(&source, &index, &workRef,
                                       loopIterations, batch, batches, columns);
    });
    std::printf("  buffer in %s memory: gathers only %.2f ms, compute only "
                "%.2f ms; --no-overlap %.2f ms, with the pass %.2f ms\n",
                deviceBuffer ? "device" : "managed", gatherLoop * 1e3,
                computeLoop * 1e3, serialLoop * 1e3, pipelined * 1e3);
    std::printf("    with the pass / max(gathers only, compute only) = %.2f "
                "(target <= 1.10); --no-overlap / with = %.2f\n",
                pipelined / std::max(gatherLoop, computeLoop),
                serialLoop / pipelined);
  }

  deviceFree(work);
  deviceFree(deviceIndices);
  deviceFree(out);
  deviceFree(deviceTable);
  sluice_rt_unregister_host_table(table);
  std::free(table);
}

/// What `--sort-gather-indices` costs and buys on the GPU, end to end, with
/// the ids sorted two ways: by the runtime's host radix sort (then the
/// distinct ids and the inverse map copied to the device), and by the
/// compiled sort's kernels (bench/cpu/sort_kernels.mlir: a bitmap where
/// the ids are dense, which these are; the ids, distinct values and inverse
/// map in device memory); then the zero-copy gather of the distinct rows in
/// address order and the device gather back by the inverse map. Against the
/// zero-copy gather of the ids as given.
int sortedPathTable(void *mapped, size_t tableBytes, int64_t count, int reps) {
  int failures = 0;
  std::printf("sorted path, end to end (sort + sorted zero-copy gather + "
              "device gather back), GB/s of rows:\n");
  std::printf("%8s %10s %10s %10s %10s %10s | %8s %8s | %8s %8s\n", "row B",
              "as given", "host sort", "GPU sort", "host ms", "GPU ms", "host",
              "GPU", "GPU/h2d", "GPU/stg");
  void *out = deviceAlloc(count * 4096);
  void *rowsBuffer = deviceAlloc(count * 4096);
  void *deviceIndices = deviceAlloc(count * 8);
  void *deviceUnique = deviceAlloc(count * 8);
  void *deviceInverse = deviceAlloc(count * 8);
  std::vector<int64_t> unique(count), inverse(count);
  std::mt19937_64 rng(9);
  for (int64_t rowBytes : {64, 256, 512, 1024, 4096}) {
    int64_t columns = rowBytes / 4, rows = tableBytes / rowBytes;
    std::vector<int64_t> indices(count);
    for (int64_t &index : indices)
      index = int64_t(rng() % rows);
    copy(deviceIndices, indices.data(), count * 8);
    MemRef<2> source = matrix(mapped, rows, columns);
    MemRef<1> index = vector(deviceIndices, count);
    MemRef<2> dest = matrix(out, count, columns);
    double given = medianSeconds(reps, [&] {
      _mlir_ciface_gather_zero_copy_rotate(&source, &index, &dest);
    });
    double hostSortSeconds = 0;
    double hostSorted = medianSeconds(reps, [&] {
      auto start = std::chrono::steady_clock::now();
      int64_t distinct = sluice_rt_sort_unique(
          reinterpret_cast<intptr_t>(indices.data()), count,
          reinterpret_cast<intptr_t>(unique.data()),
          reinterpret_cast<intptr_t>(inverse.data()));
      hostSortSeconds = std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - start)
                            .count();
      copy(deviceUnique, unique.data(), distinct * 8);
      copy(deviceInverse, inverse.data(), count * 8);
      MemRef<1> uniqueRef = vector(deviceUnique, distinct);
      MemRef<2> rowsRef = matrix(rowsBuffer, distinct, columns);
      _mlir_ciface_gather_zero_copy_rotate(&source, &uniqueRef, &rowsRef);
      MemRef<1> inverseRef = vector(deviceInverse, count);
      _mlir_ciface_gather_device(&rowsRef, &inverseRef, &dest);
    });
    // The ids start where the gather of the ids as given reads them: in
    // device memory (a sampler on the GPU leaves them there). The kernels'
    // scratch comes from the runtime's unified heap.
    double gpuSortSeconds = 0;
    // Cleared first, so that the check below sees only what this path wrote.
    checkCuda(cuda().cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(out),
                                      0xDEADBEEF, count * rowBytes / 4,
                                      nullptr),
              "cuMemsetD32Async");
    double gpuSorted = medianSeconds(reps, [&] {
      auto start = std::chrono::steady_clock::now();
      MemRef<1> idsRef = vector(deviceIndices, count),
                uniqueRef = vector(deviceUnique, count),
                inverseRef = vector(deviceInverse, count);
      int64_t distinct =
          _mlir_ciface_sort_unique_ids(&idsRef, &uniqueRef, &inverseRef);
      gpuSortSeconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      uniqueRef.sizes[0] = distinct;
      MemRef<2> rowsRef = matrix(rowsBuffer, distinct, columns);
      _mlir_ciface_gather_zero_copy_rotate(&source, &uniqueRef, &rowsRef);
      _mlir_ciface_gather_device(&rowsRef, &inverseRef, &dest);
    });
    // What the GPU-sorted path left in `dest`: the first rows, against the
    // table's rows on the host (the mapped address is the host address).
    int64_t sample = std::min<int64_t>(count, 4096);
    std::vector<char> gathered(sample * rowBytes);
    copy(gathered.data(), out, gathered.size());
    for (int64_t i = 0; i < sample; ++i)
      if (std::memcmp(gathered.data() + i * rowBytes,
                      static_cast<char *>(mapped) + indices[i] * rowBytes,
                      rowBytes) != 0) {
        std::printf("MISMATCH GPU-sorted path, %lld B rows: row %lld (id "
                    "%lld)\n",
                    (long long)rowBytes, (long long)i, (long long)indices[i]);
        ++failures;
        break;
      }
    double bytes = double(count) * rowBytes;
    auto link = linkSeconds().find(rowBytes);
    double h2d = link == linkSeconds().end() ? 0 : link->second.first;
    double staged = link == linkSeconds().end() ? 0 : link->second.second;
    std::printf("%8lld %10.1f %10.1f %10.1f %10.2f %10.2f | %8.2f %8.2f | "
                "%8.2f %8.2f\n",
                (long long)rowBytes, bytes / given / 1e9,
                bytes / hostSorted / 1e9, bytes / gpuSorted / 1e9,
                hostSortSeconds * 1e3, gpuSortSeconds * 1e3, given / hostSorted,
                given / gpuSorted, h2d / gpuSorted, staged / gpuSorted);
  }
  std::printf("(host, GPU: time of the ids as given / time of the sorted "
              "path; GPU/h2d, GPU/stg: the GPU-sorted path against the pinned "
              "copy and the staged path of the bandwidth table, issue 4's "
              "targets 0.9 and 1.65)\n\n");
  for (void *buffer :
       {out, rowsBuffer, deviceIndices, deviceUnique, deviceInverse})
    deviceFree(buffer);
  return failures;
}

/// Random-row zero-copy reads are bound by address translation: every row
/// lands on another host page. This table compares the host page size (4 KiB
/// pages, transparent huge pages through sluice_rt_alloc_host_table, and the
/// driver's own pinned allocation) and random against sorted indices, with
/// the capped kernels (best of naive and shift).
void pagesAndOrderTable(size_t tableBytes, int64_t count, int reps) {
  struct Allocation {
    const char *name;
    void *table;
    void *mapped;
  };
  std::vector<Allocation> allocations;
  {
    void *table = hostAlloc(tableBytes);
    madvise(table, tableBytes, MADV_NOHUGEPAGE);
    fillRandom(table, tableBytes, 11);
    void *mapped = sluice_rt_register_host_table(table, tableBytes);
    if (!mapped)
      std::exit(1);
    allocations.push_back({"4K", table, mapped});
  }
  {
    void *table = sluice_rt_alloc_host_table(tableBytes);
    if (!table)
      std::exit(1);
    fillRandom(table, tableBytes, 11);
    allocations.push_back({"THP", table, table});
  }
  {
    void *table = nullptr;
    checkCuda(cuda().cuMemHostAlloc(&table, tableBytes,
                                    CU_MEMHOSTALLOC_PORTABLE |
                                        CU_MEMHOSTALLOC_DEVICEMAP),
              "cuMemHostAlloc");
    fillRandom(table, tableBytes, 11);
    CUdeviceptr mapped = 0;
    checkCuda(cuda().cuMemHostGetDevicePointer(&mapped, table, 0),
              "cuMemHostGetDevicePointer");
    allocations.push_back({"drv", table, reinterpret_cast<void *>(mapped)});
  }

  std::printf("page size and index order: capped zero-copy (best of naive and "
              "shift), GB/s\n");
  std::printf("%8s", "row B");
  for (const char *order : {"random", "sorted"})
    for (const Allocation &a : allocations)
      std::printf(" %10s",
                  (std::string(a.name) + " " + order).substr(0, 10).c_str());
  std::printf("\n");
  void *out = deviceAlloc(count * 1024);
  void *deviceIndices = deviceAlloc(count * 8);
  std::mt19937_64 rng(3);
  for (int64_t rowBytes : {64, 256, 512, 1024}) {
    int64_t columns = rowBytes / 4, rows = tableBytes / rowBytes;
    std::vector<int64_t> indices(count);
    for (int64_t &index : indices)
      index = int64_t(rng() % rows);
    std::printf("%8lld", (long long)rowBytes);
    for (bool sorted : {false, true}) {
      if (sorted)
        std::sort(indices.begin(), indices.end());
      copy(deviceIndices, indices.data(), count * 8);
      MemRef<1> index = vector(deviceIndices, count);
      MemRef<2> dest = matrix(out, count, columns);
      for (const Allocation &a : allocations) {
        MemRef<2> source = matrix(a.mapped, rows, columns);
        double best = 1e30;
        for (GatherFn fn : {_mlir_ciface_gather_zero_copy,
                            _mlir_ciface_gather_zero_copy_shift})
          best = std::min(
              best, medianSeconds(reps, [&] { fn(&source, &index, &dest); }));
        std::printf(" %10.1f", double(count) * rowBytes / best / 1e9);
      }
    }
    std::printf("\n");
  }
  std::printf("\n");
  deviceFree(deviceIndices);
  deviceFree(out);
  sluice_rt_unregister_host_table(allocations[0].table);
  std::free(allocations[0].table);
  sluice_rt_free_host_table(allocations[1].table);
  checkCuda(cuda().cuMemFreeHost(allocations[2].table), "cuMemFreeHost");
}

} // namespace

int main(int argc, char **argv) {
  setvbuf(stdout, nullptr, _IOLBF, 0);
  size_t tableGiB = 2;
  int64_t count = 1 << 20;
  int reps = 5;
  bool checkOnly = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--check-only")
      checkOnly = true;
    else if (arg.rfind("--table-gib=", 0) == 0)
      tableGiB = std::stoul(arg.substr(12));
    else if (arg.rfind("--indices=", 0) == 0)
      count = std::stoll(arg.substr(10));
    else if (arg.rfind("--reps=", 0) == 0)
      reps = std::stoi(arg.substr(7));
    else {
      std::fprintf(stderr,
                   "usage: %s [--check-only] [--table-gib=N] [--indices=N] "
                   "[--reps=N]\n",
                   argv[0]);
      return 2;
    }
  }
  const CudaDriver &driver = cuda();
  char name[256] = {0};
  int sms = 0;
  driver.cuDeviceGetName(name, sizeof(name), currentCudaDevice());
  driver.cuDeviceGetAttribute(&sms, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT,
                              currentCudaDevice());
  std::printf("device: %s, %d SMs; host threads: %d\n\n", name, sms,
              numThreads());
  int failures = checkCorrectness();
  failures += checkSorts();
  if (!checkOnly) {
    bandwidthTable(tableGiB << 30, count, reps);
    {
      size_t bytes = tableGiB << 30;
      void *table = sluice_rt_alloc_host_table(bytes);
      if (!table)
        return 1;
      fillRandom(table, bytes, 13);
      failures += sortedPathTable(table, bytes, count, reps);
      sluice_rt_free_host_table(table);
    }
    pagesAndOrderTable(tableGiB << 30, count, reps);
  }
  return failures ? 1 : 0;
}
