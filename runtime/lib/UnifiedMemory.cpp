//===- UnifiedMemory.cpp - the heap of CUDA tensor programs ---------------===//
//
// cuMemAllocManaged costs tens of microseconds and cuMemFree synchronizes
// the device, and a training step allocates and frees hundreds of buffers,
// so freed blocks are kept by size class and handed out again, as PyTorch's
// caching allocator does. Every kernel launch of these programs is
// synchronous, so a block freed on the host is idle on the device too.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/UnifiedMemory.h"
#include "sluice/Runtime/CudaDriver.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Profile.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

using namespace sluice::rt;

namespace {

// CUDA's managed allocations are aligned to at least this much.
constexpr size_t kDriverAlignment = 256;

struct Heap {
  std::mutex mutex;
  std::map<size_t, std::vector<void *>> freeBlocks; // by size class
  std::unordered_map<void *, size_t> liveBlocks;    // pointer -> size class
  UnifiedHeapStats stats;
};

Heap &heap() {
  // Never destroyed: buffers may be freed by static destructors at exit.
  static Heap *instance = new Heap;
  return *instance;
}

/// "where: " for messages, or nothing where the place is not known.
std::string placePrefix(const char *where) {
  return where ? std::string(where) + ": " : std::string();
}

/// "out of memory: cannot allocate N bytes (G GiB)", as a CPU program's
/// sluice_rt_alloc says it.
std::string outOfMemory(size_t bytes) {
  char gib[32];
  std::snprintf(gib, sizeof gib, "%.1f", double(bytes) / double(1 << 30));
  return "out of memory: cannot allocate " + std::to_string(bytes) +
         " bytes (" + gib + " GiB)";
}

void *allocate(size_t bytes, const char *where = nullptr) {
  if (bytes == 0)
    return nullptr;
  size_t sizeClass = unifiedSizeClass(bytes);
  Heap &h = heap();
  {
    std::lock_guard<std::mutex> lock(h.mutex);
    auto found = h.freeBlocks.find(sizeClass);
    if (found != h.freeBlocks.end() && !found->second.empty()) {
      void *block = found->second.back();
      found->second.pop_back();
      h.liveBlocks[block] = sizeClass;
      h.stats.cachedBytes -= sizeClass;
      h.stats.liveBytes += sizeClass;
      h.stats.peakLiveBytes =
          std::max(h.stats.peakLiveBytes, h.stats.liveBytes);
      return block;
    }
  }
  const CudaDriver *driver = tryCudaDriver();
  void *block = nullptr;
  if (!driver) {
    // No GPU: host memory, so that what runs before the first kernel (the
    // program's --help, its argument errors, loading data) still works;
    // the first kernel stops the program, naming what is missing.
    block = std::aligned_alloc(kDriverAlignment, sizeClass);
    if (!block)
      fatalError(placePrefix(where) + outOfMemory(bytes));
  } else {
    // The heap's cache misses.
    sluice::rt::ProfileScope profile("cuMemAllocManaged");
    CUdeviceptr pointer = 0;
    CUresult result =
        driver->cuMemAllocManaged(&pointer, sizeClass, CU_MEM_ATTACH_GLOBAL);
    if (result != CUDA_SUCCESS) {
      // Out of memory with blocks cached: give them back and try once more.
      releaseUnifiedHeap();
      result =
          driver->cuMemAllocManaged(&pointer, sizeClass, CU_MEM_ATTACH_GLOBAL);
    }
    if (result != CUDA_SUCCESS)
      fatalError(placePrefix(where) + outOfMemory(bytes) +
                 " of unified (managed) memory: " + describeCudaResult(result));
    block = reinterpret_cast<void *>(pointer);
  }
  std::lock_guard<std::mutex> lock(h.mutex);
  h.liveBlocks[block] = sizeClass;
  h.stats.liveBytes += sizeClass;
  ++h.stats.driverAllocations;
  h.stats.peakLiveBytes = std::max(h.stats.peakLiveBytes, h.stats.liveBytes);
  h.stats.peakHeldBytes =
      std::max(h.stats.peakHeldBytes, h.stats.liveBytes + h.stats.cachedBytes);
  return block;
}

} // namespace

size_t sluice::rt::unifiedSizeClass(size_t bytes) {
  size_t rounded =
      (bytes + kDriverAlignment - 1) / kDriverAlignment * kDriverAlignment;
  if (rounded <= 4096)
    return rounded;
  // A quarter of the largest power of two not above `rounded`.
  size_t power = size_t(1) << (63 - __builtin_clzll(rounded));
  size_t quarter = power / 4;
  return (rounded + quarter - 1) / quarter * quarter;
}

UnifiedHeapStats sluice::rt::unifiedHeapStats() {
  Heap &h = heap();
  std::lock_guard<std::mutex> lock(h.mutex);
  return h.stats;
}

bool sluice::rt::isUnifiedHeapRange(const void *pointer, size_t bytes) {
  Heap &h = heap();
  std::lock_guard<std::mutex> lock(h.mutex);
  // Tables are whole buffers, so the block starts where the range does.
  auto found = h.liveBlocks.find(const_cast<void *>(pointer));
  return found != h.liveBlocks.end() && bytes <= found->second;
}

void sluice::rt::releaseUnifiedHeap() {
  Heap &h = heap();
  std::map<size_t, std::vector<void *>> blocks;
  {
    std::lock_guard<std::mutex> lock(h.mutex);
    blocks.swap(h.freeBlocks);
    h.stats.cachedBytes = 0;
  }
  if (blocks.empty())
    return;
  const CudaDriver *driver = tryCudaDriver();
  for (auto &[sizeClass, pointers] : blocks)
    for (void *block : pointers) {
      if (driver)
        checkCuda(driver->cuMemFree(reinterpret_cast<CUdeviceptr>(block)),
                  "cuMemFree");
      else
        std::free(block);
    }
}

extern "C" void *_mlir_memref_to_llvm_alloc(size_t bytes) {
  return allocate(bytes);
}

extern "C" void *sluice_rt_unified_alloc(int64_t bytes, const char *where) {
  // A negative size is a size computation that overflowed.
  if (bytes < 0)
    fatalError(placePrefix(where) +
               "out of memory: a buffer's size overflows 64 bits");
  return allocate(size_t(bytes), where);
}

extern "C" void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment,
                                                    size_t bytes) {
  if (alignment > kDriverAlignment)
    fatalError("a buffer aligned to " + std::to_string(alignment) +
               " bytes cannot be allocated in unified memory (at most " +
               std::to_string(kDriverAlignment) + ")");
  return allocate(bytes);
}

extern "C" void _mlir_memref_to_llvm_free(void *pointer) {
  if (!pointer)
    return;
  Heap &h = heap();
  std::lock_guard<std::mutex> lock(h.mutex);
  auto found = h.liveBlocks.find(pointer);
  if (found == h.liveBlocks.end())
    fatalError("freeing a buffer that the unified heap did not allocate (or "
               "freed already)");
  size_t sizeClass = found->second;
  h.liveBlocks.erase(found);
  h.freeBlocks[sizeClass].push_back(pointer);
  h.stats.liveBytes -= sizeClass;
  h.stats.cachedBytes += sizeClass;
}
