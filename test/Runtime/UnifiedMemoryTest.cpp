//===- UnifiedMemoryTest.cpp - the heap of CUDA tensor programs -----------===//

#include "sluice/Runtime/UnifiedMemory.h"

#include "FakeCudaDriver.h"
#include "sluice/Runtime/CudaDriver.h"
#include "sluice/Runtime/HostTables.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

using namespace sluice::rt;
using namespace sluice::rt::testing;

namespace {

/// A driver whose managed memory is host memory, counting what it hands out
/// and takes back.
struct Counts {
  std::vector<size_t> allocated;
  int freed = 0;
  bool failNext = false;
  bool failAlways = false; // every managed allocation is out of memory
  std::vector<std::pair<int, CUdevice>> advice; // (advice, device)
};
Counts &counts() {
  static Counts instance;
  return instance;
}

class UnifiedMemoryTest : public ::testing::Test {
protected:
  void SetUp() override {
    driver.cuMemAllocManaged = [](CUdeviceptr *pointer, size_t bytes,
                                  unsigned flags) -> CUresult {
      if (counts().failAlways)
        return 2; // CUDA_ERROR_OUT_OF_MEMORY
      if (counts().failNext) {
        counts().failNext = false;
        return 2; // CUDA_ERROR_OUT_OF_MEMORY
      }
      EXPECT_EQ(flags, CU_MEM_ATTACH_GLOBAL);
      counts().allocated.push_back(bytes);
      *pointer = reinterpret_cast<CUdeviceptr>(std::aligned_alloc(256, bytes));
      return CUDA_SUCCESS;
    };
    driver.cuMemFree = [](CUdeviceptr pointer) -> CUresult {
      ++counts().freed;
      std::free(reinterpret_cast<void *>(pointer));
      return CUDA_SUCCESS;
    };
    driver.cuMemAdvise = [](CUdeviceptr, size_t, int advice,
                            CUdevice device) -> CUresult {
      counts().advice.emplace_back(advice, device);
      return CUDA_SUCCESS;
    };
    setCudaDriverForTesting(&driver);
    fakeCalls() = FakeCalls();
    counts() = Counts();
  }
  void TearDown() override {
    releaseUnifiedHeap();
    setCudaDriverForTesting(nullptr);
  }
  CudaDriver driver = makeFakeCudaDriver();
};

TEST(UnifiedSizeClassTest, RoundsUpByAtMostAQuarter) {
  EXPECT_EQ(unifiedSizeClass(1), 256u);
  EXPECT_EQ(unifiedSizeClass(256), 256u);
  EXPECT_EQ(unifiedSizeClass(257), 512u);
  EXPECT_EQ(unifiedSizeClass(4096), 4096u);
  EXPECT_EQ(unifiedSizeClass(4097), 5120u); // 4096 + 1024
  EXPECT_EQ(unifiedSizeClass(1 << 20), size_t(1) << 20);
  EXPECT_EQ(unifiedSizeClass((1 << 20) + 1), (size_t(1) << 20) * 5 / 4);
  // Every size from 1 byte to 1 MiB: a class at least as large, at most a
  // quarter (or 255 bytes) larger, and a multiple of 256.
  for (size_t bytes = 1; bytes <= (size_t(1) << 20); bytes += 997) {
    size_t sizeClass = unifiedSizeClass(bytes);
    ASSERT_GE(sizeClass, bytes);
    ASSERT_LE(sizeClass, std::max(bytes + 255, bytes + bytes / 4 + 256));
    ASSERT_EQ(sizeClass % 256, 0u);
  }
}

TEST_F(UnifiedMemoryTest, FreedBlocksAreReusedWithinTheirClass) {
  void *first = _mlir_memref_to_llvm_alloc(10000);
  ASSERT_NE(first, nullptr);
  std::memset(first, 7, 10000); // the block is really 10000 bytes or more
  _mlir_memref_to_llvm_free(first);
  // 10,100 bytes fall in the same class (10,240): the same block again.
  void *second = _mlir_memref_to_llvm_alloc(10100);
  EXPECT_EQ(second, first);
  // Another class: a new block from the driver.
  void *third = _mlir_memref_to_llvm_alloc(100);
  EXPECT_NE(third, first);
  EXPECT_EQ(counts().allocated, (std::vector<size_t>{10240, 256}));
  UnifiedHeapStats stats = unifiedHeapStats();
  EXPECT_EQ(stats.liveBytes, 10240u + 256u);
  EXPECT_EQ(stats.cachedBytes, 0u);
  EXPECT_EQ(stats.driverAllocations, 2u);
  _mlir_memref_to_llvm_free(second);
  _mlir_memref_to_llvm_free(third);
  EXPECT_EQ(unifiedHeapStats().cachedBytes, 10240u + 256u);
  EXPECT_EQ(counts().freed, 0);
  releaseUnifiedHeap();
  EXPECT_EQ(counts().freed, 2);
  EXPECT_EQ(unifiedHeapStats().cachedBytes, 0u);
}

TEST_F(UnifiedMemoryTest, PeaksOfBytesInUseAndHeld) {
  void *a = _mlir_memref_to_llvm_alloc(10000); // class 10,240
  void *b = _mlir_memref_to_llvm_alloc(100);   // class 256
  _mlir_memref_to_llvm_free(a);
  _mlir_memref_to_llvm_free(b);
  UnifiedHeapStats stats = unifiedHeapStats();
  EXPECT_EQ(stats.liveBytes, 0u);
  EXPECT_EQ(stats.peakLiveBytes, 10240u + 256u);
  EXPECT_EQ(stats.peakHeldBytes, 10240u + 256u);
  // Reusing a cached block raises neither peak.
  void *again = _mlir_memref_to_llvm_alloc(10100);
  EXPECT_EQ(again, a);
  EXPECT_EQ(unifiedHeapStats().peakLiveBytes, 10240u + 256u);
  // A new class (65,536): that and 10,240 in use, the 256-byte block held.
  size_t bigClass = unifiedSizeClass(60000);
  ASSERT_EQ(bigClass, 65536u);
  void *big = _mlir_memref_to_llvm_alloc(60000);
  stats = unifiedHeapStats();
  EXPECT_EQ(stats.peakLiveBytes, 10240u + bigClass);
  EXPECT_EQ(stats.peakHeldBytes, 10240u + bigClass + 256u);
  _mlir_memref_to_llvm_free(again);
  _mlir_memref_to_llvm_free(big);
  // Releasing the cache leaves the peaks as they were.
  releaseUnifiedHeap();
  stats = unifiedHeapStats();
  EXPECT_EQ(stats.peakLiveBytes, 10240u + bigClass);
  EXPECT_EQ(stats.peakHeldBytes, 10240u + bigClass + 256u);
}

TEST_F(UnifiedMemoryTest, EmptyBuffersNeedNoMemory) {
  EXPECT_EQ(_mlir_memref_to_llvm_alloc(0), nullptr);
  _mlir_memref_to_llvm_free(nullptr);
  EXPECT_TRUE(counts().allocated.empty());
}

TEST_F(UnifiedMemoryTest, AlignedRequestsUpTo256Bytes) {
  void *block = _mlir_memref_to_llvm_aligned_alloc(64, 1000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % 64, 0u);
  _mlir_memref_to_llvm_free(block);
  EXPECT_EXIT(_mlir_memref_to_llvm_aligned_alloc(4096, 10),
              ::testing::ExitedWithCode(1),
              "aligned to 4096 bytes cannot be allocated in unified memory");
}

TEST_F(UnifiedMemoryTest, ProgramAllocationsNameTheirPlace) {
  // Served like the generic entry point, from the same heap.
  void *block = sluice_rt_unified_alloc(10000, "prog.sl:4:3");
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(unifiedHeapStats().liveBytes, unifiedSizeClass(10000));
  _mlir_memref_to_llvm_free(block);
  counts().failAlways = true;
  EXPECT_EXIT(sluice_rt_unified_alloc(50000, "prog.sl:4:3"),
              ::testing::ExitedWithCode(1),
              "sluice: error: prog.sl:4:3: out of memory: cannot allocate "
              "50000 bytes \\(0.0 GiB\\) of unified \\(managed\\) memory: "
              "CUDA_ERROR_OUT_OF_MEMORY");
  counts().failAlways = false;
  EXPECT_EXIT(sluice_rt_unified_alloc(-8, "prog.sl:4:3"),
              ::testing::ExitedWithCode(1),
              "sluice: error: prog.sl:4:3: out of memory: a buffer's size "
              "overflows 64 bits");
}

TEST_F(UnifiedMemoryTest, OutOfMemoryRetriesAfterReleasingTheCache) {
  void *cached = _mlir_memref_to_llvm_alloc(300);
  _mlir_memref_to_llvm_free(cached);
  counts().failNext = true;
  void *block = _mlir_memref_to_llvm_alloc(50000);
  EXPECT_NE(block, nullptr);
  EXPECT_EQ(counts().freed, 1); // the cached block went back first
  _mlir_memref_to_llvm_free(block);
}

TEST_F(UnifiedMemoryTest, OutOfMemoryIsAnErrorNamingTheSize) {
  driver.cuMemAllocManaged = [](CUdeviceptr *, size_t, unsigned) -> CUresult {
    return 2;
  };
  EXPECT_EXIT(_mlir_memref_to_llvm_alloc(123456), ::testing::ExitedWithCode(1),
              "out of memory: cannot allocate 123456 bytes \\(0.0 GiB\\) of "
              "unified \\(managed\\) memory: CUDA_ERROR_OUT_OF_MEMORY");
}

TEST_F(UnifiedMemoryTest, AZeroCopyTableInTheHeapStaysOnTheHost) {
  // Managed memory cannot be page-locked: registering a table the heap
  // handed out keeps it on the host and maps it for the GPU instead.
  void *table = _mlir_memref_to_llvm_alloc(1 << 20);
  ASSERT_TRUE(isUnifiedHeapRange(table, 1 << 20));
  EXPECT_FALSE(isUnifiedHeapRange(table, (1 << 20) + 1));
  std::string error;
  void *device = registerHostTable(table, 1 << 20, error);
  ASSERT_EQ(device, table) << error;
  EXPECT_TRUE(fakeCalls().registered.empty());
  using Advice = std::vector<std::pair<int, CUdevice>>;
  EXPECT_EQ(counts().advice,
            (Advice{{CU_MEM_ADVISE_SET_PREFERRED_LOCATION, CU_DEVICE_CPU},
                    {CU_MEM_ADVISE_SET_ACCESSED_BY, currentCudaDevice()}}));
  ASSERT_TRUE(unregisterHostTable(table, error)) << error;
  EXPECT_TRUE(fakeCalls().unregistered.empty());
  EXPECT_EQ(counts().advice.size(), 4u);
  EXPECT_EQ(counts().advice[2].first, CU_MEM_ADVISE_UNSET_ACCESSED_BY);
  EXPECT_EQ(counts().advice[3],
            (std::pair<int, CUdevice>{CU_MEM_ADVISE_UNSET_PREFERRED_LOCATION,
                                      CU_DEVICE_CPU}));
  _mlir_memref_to_llvm_free(table);
  // Memory from elsewhere is still page-locked.
  std::vector<char> host(4096);
  ASSERT_NE(registerHostTable(host.data(), host.size(), error), nullptr)
      << error;
  EXPECT_EQ(fakeCalls().registered.size(), 1u);
  ASSERT_TRUE(unregisterHostTable(host.data(), error)) << error;
}

TEST_F(UnifiedMemoryTest, AdviceGoesThroughTheV2EntryPointWhenThatIsAll) {
  // A driver with only cuMemAdvise_v2: the CPU is a host location, the GPU
  // a device location.
  static std::vector<std::pair<int, CUmemLocation>> seen;
  seen.clear();
  driver.cuMemAdvise = nullptr;
  driver.cuMemAdviseV2 = [](CUdeviceptr, size_t, int advice,
                            CUmemLocation location) -> CUresult {
    seen.emplace_back(advice, location);
    return CUDA_SUCCESS;
  };
  int dummy = 0;
  EXPECT_EQ(memAdvise(driver, &dummy, 4, CU_MEM_ADVISE_SET_PREFERRED_LOCATION,
                      CU_DEVICE_CPU),
            CUDA_SUCCESS);
  EXPECT_EQ(memAdvise(driver, &dummy, 4, CU_MEM_ADVISE_SET_ACCESSED_BY, 3),
            CUDA_SUCCESS);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].second.type, 2); // host
  EXPECT_EQ(seen[1].second.type, 1); // device
  EXPECT_EQ(seen[1].second.id, 3);
  driver.cuMemAdviseV2 = nullptr;
  EXPECT_EQ(memAdvise(driver, &dummy, 4, CU_MEM_ADVISE_SET_ACCESSED_BY, 0),
            CUDA_ERROR_NOT_SUPPORTED);
}

TEST_F(UnifiedMemoryTest, FreeingAForeignPointerIsAnError) {
  int local = 0;
  EXPECT_EXIT(_mlir_memref_to_llvm_free(&local), ::testing::ExitedWithCode(1),
              "did not allocate");
}

} // namespace

namespace {

TEST(UnifiedMemoryNoDriverTest, WithoutAGpuTheHeapHandsOutHostMemory) {
  if (sluice::rt::tryCudaDriver())
    GTEST_SKIP() << "this machine has a CUDA driver";
  // What runs before the first kernel (--help, argument checks) needs no GPU.
  void *block = _mlir_memref_to_llvm_alloc(1000);
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, 1000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % 256, 0u);
  _mlir_memref_to_llvm_free(block);
  EXPECT_EQ(_mlir_memref_to_llvm_alloc(900), block); // reused
  _mlir_memref_to_llvm_free(block);
  sluice::rt::releaseUnifiedHeap();
}

} // namespace
