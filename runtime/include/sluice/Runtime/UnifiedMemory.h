//===- UnifiedMemory.h - the heap of CUDA tensor programs -------*- C++ -*-===//
//
// A tensor program compiled for CUDA allocates its buffers through MLIR's
// generic allocation functions (finalize-memref-to-llvm with
// use-generic-functions), which this file implements over CUDA managed
// memory, so that kernels and host code (runtime calls, logs) share them.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_UNIFIEDMEMORY_H
#define SLUICE_RUNTIME_UNIFIEDMEMORY_H

#include <cstddef>
#include <cstdint>

extern "C" {
/// `bytes` of managed memory (null for none), aligned to at least 256 bytes;
/// host memory on a machine without a GPU, so that a program gets as far as
/// its first kernel, which reports the missing driver.
void *_mlir_memref_to_llvm_alloc(size_t bytes);
/// The same, aligned to `alignment` (a power of two).
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t bytes);
/// The first, for a CUDA program's buffers (sluice-check-host-allocations):
/// a failure names `where`, the allocation's source location.
void *sluice_rt_unified_alloc(int64_t bytes, const char *where);
/// Returns a block from either function to the heap (null: nothing).
void _mlir_memref_to_llvm_free(void *pointer);
}

namespace sluice::rt {

/// The size class a request of `bytes` is served from: `bytes` rounded up to
/// 256 bytes, and above 4 KiB to a quarter of its power of two (at most 25%
/// more), so that buffers whose sizes change from batch to batch (sampled
/// blocks) reuse each other's blocks.
size_t unifiedSizeClass(size_t bytes);

/// What the heap holds: bytes handed out now, bytes kept for reuse, and how
/// many times it asked the driver for memory; and the most it ever handed
/// out and held (handed out plus kept) at once.
struct UnifiedHeapStats {
  size_t liveBytes = 0;
  size_t cachedBytes = 0;
  size_t driverAllocations = 0;
  size_t peakLiveBytes = 0;
  size_t peakHeldBytes = 0;
};
UnifiedHeapStats unifiedHeapStats();

/// Whether `[pointer, pointer + bytes)` lies in one block the heap has handed
/// out (managed memory), which cuMemHostRegister would refuse.
bool isUnifiedHeapRange(const void *pointer, size_t bytes);

/// Frees the blocks kept for reuse (tests; at exit the process ends anyway).
void releaseUnifiedHeap();

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_UNIFIEDMEMORY_H
