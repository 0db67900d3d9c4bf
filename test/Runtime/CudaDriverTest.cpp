//===- CudaDriverTest.cpp - driver loading and the mgpu* ABI --------------===//

#include "sluice/Runtime/CudaDriver.h"
#include "FakeCudaDriver.h"
#include "sluice/Runtime/Runtime.h"
#include "sluice/Runtime/UnifiedMemory.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <dlfcn.h>

using namespace sluice::rt;
using namespace sluice::rt::testing;

namespace {

/// Whether this machine has a working driver (then the no-driver tests skip).
bool machineHasDriver() {
  setCudaDriverForTesting(nullptr);
  return tryCudaDriver() != nullptr;
}

TEST(CudaDriverTest, MissingDriverIsExplained) {
  if (machineHasDriver())
    GTEST_SKIP() << "this machine has a CUDA driver";
  std::string whyNot;
  EXPECT_EQ(tryCudaDriver(&whyNot), nullptr);
  EXPECT_NE(whyNot.find("no CUDA driver: libcuda.so.1 could not be loaded"),
            std::string::npos)
      << whyNot;
  EXPECT_NE(whyNot.find("--target=cpu"), std::string::npos) << whyNot;
  EXPECT_FALSE(cudaDriverInitialized());
}

TEST(CudaDriverTest, MgpuCallWithoutDriverExitsWithMessage) {
  if (machineHasDriver())
    GTEST_SKIP() << "this machine has a CUDA driver";
  EXPECT_EXIT(mgpuStreamCreate(), ::testing::ExitedWithCode(1),
              "sluice: error: no CUDA driver: libcuda.so.1");
  // Modules load when a kernel is first looked up, not before main.
  void *module = mgpuModuleLoadJIT(nullptr, 3);
  EXPECT_FALSE(cudaDriverInitialized());
  EXPECT_EXIT(mgpuModuleGetFunction(module, "kernel"),
              ::testing::ExitedWithCode(1), "sluice: error: no CUDA driver");
  mgpuModuleUnload(module);
}

TEST(CudaDriverTest, WithoutDriverTheGatherErrorSlotIsHostMemory) {
  if (machineHasDriver())
    GTEST_SKIP() << "this machine has a CUDA driver";
  // Gather kernels run as host loops (sluice-run-kernels-on-host) write
  // their bad index there, and it is reported as on a GPU.
  auto *slot = reinterpret_cast<int64_t *>(sluice_rt_gather_error_slot());
  ASSERT_NE(slot, nullptr);
  EXPECT_FALSE(cudaDriverInitialized());
  static const char where[] = "pipe.sl:5:7";
  EXPECT_EXIT(
      {
        slot[0] = 2 + 1;
        slot[1] = -4;
        slot[2] = 9;
        slot[3] = reinterpret_cast<int64_t>(where);
        sluice_rt_check_gather_errors();
      },
      ::testing::ExitedWithCode(1),
      "sluice: error: pipe.sl:5:7: gather index -4 at position 2 is out of "
      "range for a table of 9 rows");
}

TEST(CudaDriverTest, ModuleUnloadWithoutDriverIsHarmless) {
  if (machineHasDriver())
    GTEST_SKIP() << "this machine has a CUDA driver";
  // Generated code unloads its module from a global destructor, also after a
  // failed start: that must neither crash nor load a driver.
  mgpuModuleUnload(nullptr);
  mgpuModuleUnload(mgpuModuleLoadJIT(reinterpret_cast<void *>(0x1234), 3));
  EXPECT_FALSE(cudaDriverInitialized());
}

class FakeDriverTest : public ::testing::Test {
protected:
  void SetUp() override {
    setCudaDriverForTesting(&driver);
    releaseStreamPool();
    fakeCalls() = FakeCalls();
  }
  void TearDown() override { setCudaDriverForTesting(nullptr); }
  CudaDriver driver = makeFakeCudaDriver();
};

TEST_F(FakeDriverTest, ModulesLoadAtTheirFirstKernelLookupOnce) {
  static const char kernel[] = "kernel", other[] = "other";
  void *module = mgpuModuleLoad(reinterpret_cast<void *>(0x1000), 0);
  EXPECT_EQ(fakeCalls().moduleLoads, 0);
  void *first = mgpuModuleGetFunction(module, kernel);
  EXPECT_EQ(fakeCalls().moduleLoads, 1);
  EXPECT_EQ(fakeCalls().functionLookups, 1);
  // Generated code looks the kernel up at every launch: the driver once.
  EXPECT_EQ(mgpuModuleGetFunction(module, kernel), first);
  EXPECT_EQ(fakeCalls().functionLookups, 1);
  mgpuModuleGetFunction(module, other);
  EXPECT_EQ(fakeCalls().moduleLoads, 1);
  EXPECT_EQ(fakeCalls().functionLookups, 2);
  mgpuModuleUnload(module);
  EXPECT_EQ(fakeCalls().moduleUnloads, 1);
  // A module never used is never loaded nor unloaded.
  mgpuModuleUnload(mgpuModuleLoad(reinterpret_cast<void *>(0x2000), 0));
  EXPECT_EQ(fakeCalls().moduleLoads, 1);
  EXPECT_EQ(fakeCalls().moduleUnloads, 1);
}

TEST_F(FakeDriverTest, ResultsAreDescribedByNameAndText) {
  EXPECT_EQ(describeCudaResult(2), "CUDA_ERROR_OUT_OF_MEMORY (out of memory)");
}

TEST_F(FakeDriverTest, FailedCallIsFatalAndNamed) {
  EXPECT_EXIT(checkCuda(2, "cuMemAlloc"), ::testing::ExitedWithCode(1),
              "sluice: error: cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY "
              "\\(out of memory\\)");
}

TEST_F(FakeDriverTest, MemAllocChoosesManagedForHostShared) {
  static int freed;
  freed = 0;
  driver.cuMemFree = [](CUdeviceptr) -> CUresult {
    ++freed;
    return CUDA_SUCCESS;
  };
  void *device = mgpuMemAlloc(64, nullptr, false);
  EXPECT_EQ(device, reinterpret_cast<void *>(0xd000));
  void *shared = mgpuMemAlloc(32, nullptr, true);
  EXPECT_EQ(shared, reinterpret_cast<void *>(0xe000));
  EXPECT_EQ(mgpuMemAlloc(0, nullptr, false), nullptr);
  EXPECT_EQ(fakeCalls().allocations, std::vector<size_t>{64});
  // Shared buffers come from the unified heap, in its size classes.
  EXPECT_EQ(fakeCalls().managedAllocations, std::vector<size_t>{256});

  // Freed on a stream, a shared buffer waits for that stream, then goes
  // back to the heap's cache (no cuMemFree, which would wait for the whole
  // device) and is handed out again.
  mgpuMemFree(shared, reinterpret_cast<void *>(0x5000));
  EXPECT_EQ(fakeCalls().streamCalls, std::vector<std::string>{"sync"});
  EXPECT_EQ(freed, 0);
  EXPECT_EQ(mgpuMemAlloc(200, nullptr, true), shared);
  EXPECT_EQ(fakeCalls().managedAllocations, std::vector<size_t>{256});
  mgpuMemFree(shared, nullptr);
  EXPECT_EQ(fakeCalls().streamCalls.size(), 1u);
  EXPECT_EQ(freed, 0);
  // Device memory is the driver's to free.
  mgpuMemFree(device, nullptr);
  EXPECT_EQ(freed, 1);
  releaseUnifiedHeap();
  EXPECT_EQ(freed, 2);
}

TEST_F(FakeDriverTest, SharedBlocksFreedWithoutAStreamWaitForTheDevice) {
  static int freed, contextSyncs, allocAttempts;
  freed = contextSyncs = allocAttempts = 0;
  driver.cuMemFree = [](CUdeviceptr) -> CUresult {
    ++freed;
    return CUDA_SUCCESS;
  };
  driver.cuCtxSynchronize = []() -> CUresult {
    ++contextSyncs;
    return CUDA_SUCCESS;
  };
  void *shared = mgpuMemAlloc(100, nullptr, true);
  mgpuMemFree(shared, nullptr);
  // Any stream may still use it: the whole device is waited for.
  EXPECT_EQ(contextSyncs, 1);
  EXPECT_EQ(freed, 0); // cached

  // Device memory runs out while shared blocks are cached: they are given
  // back and the allocation is tried once more.
  driver.cuMemAlloc = [](CUdeviceptr *ptr, size_t) -> CUresult {
    if (++allocAttempts == 1)
      return 2; // CUDA_ERROR_OUT_OF_MEMORY
    *ptr = 0xd000;
    return CUDA_SUCCESS;
  };
  EXPECT_EQ(mgpuMemAlloc(64, nullptr, false), reinterpret_cast<void *>(0xd000));
  EXPECT_EQ(allocAttempts, 2);
  EXPECT_EQ(freed, 1);
}

TEST_F(FakeDriverTest, MemAllocFailureNamesTheSize) {
  fakeCalls().nextAllocResult = 2;
  EXPECT_EXIT(mgpuMemAlloc(1 << 20, nullptr, false),
              ::testing::ExitedWithCode(1),
              "allocating 1048576 bytes of device memory failed: "
              "CUDA_ERROR_OUT_OF_MEMORY");
}

TEST_F(FakeDriverTest, LaunchPassesGeometryThrough) {
  mgpuLaunchKernel(nullptr, 7, 2, 1, 256, 1, 1, 48, nullptr, nullptr, nullptr,
                   0);
  const FakeCalls &calls = fakeCalls();
  EXPECT_EQ(calls.launchGrid[0], 7u);
  EXPECT_EQ(calls.launchGrid[1], 2u);
  EXPECT_EQ(calls.launchGrid[2], 1u);
  EXPECT_EQ(calls.launchBlock[0], 256u);
  EXPECT_EQ(calls.launchSharedMemory, 48u);
}

TEST_F(FakeDriverTest, AFailedLaunchNamesTheKernel) {
  void *module = mgpuModuleLoad(reinterpret_cast<void *>(0x1000), 0);
  void *kernel = mgpuModuleGetFunction(module, "train_kernel_3");
  fakeCalls().nextLaunchResult = 2;
  EXPECT_EXIT(mgpuLaunchKernel(kernel, 7, 1, 1, 256, 1, 1, 0, nullptr, nullptr,
                               nullptr, 0),
              ::testing::ExitedWithCode(1),
              "launching kernel train_kernel_3 \\(7 blocks of 256 threads\\) "
              "failed: CUDA_ERROR_OUT_OF_MEMORY");
  mgpuModuleUnload(module);
}

TEST_F(FakeDriverTest, SluiceCudaSyncWaitsForEveryKernel) {
  // Read once per process; CTest runs each test in a process of its own.
  setenv("SLUICE_CUDA_SYNC", "1", 1);
  mgpuLaunchKernel(nullptr, 1, 1, 1, 32, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  EXPECT_EQ(fakeCalls().streamCalls, std::vector<std::string>{"sync?"});
  unsetenv("SLUICE_CUDA_SYNC");
}

TEST_F(FakeDriverTest, HostRegisterMemRefCoversTheDescribedElements) {
  alignas(64) static float storage[4 * 10];
  // A memref<3x10xf32> descriptor whose view starts at element 10.
  struct {
    float *allocated, *aligned;
    int64_t offset, sizes[2], strides[2];
  } descriptor{storage, storage, 10, {3, 10}, {10, 1}};
  mgpuMemHostRegisterMemRef(2, &descriptor, sizeof(float));
  ASSERT_EQ(fakeCalls().registered.size(), 1u);
  EXPECT_EQ(fakeCalls().registered[0].first, storage + 10);
  EXPECT_EQ(fakeCalls().registered[0].second, 3 * 10 * sizeof(float));
  mgpuMemHostUnregisterMemRef(2, &descriptor, sizeof(float));
  EXPECT_EQ(fakeCalls().unregistered, std::vector<void *>{storage + 10});
}

TEST_F(FakeDriverTest, DestroyedStreamsAreReused) {
  void *first = mgpuStreamCreate();
  mgpuStreamDestroy(first);
  void *second = mgpuStreamCreate();
  EXPECT_EQ(second, first);
  // One driver stream created, none destroyed.
  EXPECT_EQ(fakeCalls().streamCalls, std::vector<std::string>{"create"});
  mgpuStreamDestroy(second);
}

TEST_F(FakeDriverTest, AStreamReleasedTwiceIsPooledOnce) {
  // Two waits on tokens of one stream release it twice; the two streams
  // created next must not both be that one (the second is a new driver
  // stream), or work meant to overlap would serialize on it.
  void *stream = mgpuStreamCreate();
  mgpuStreamDestroy(stream);
  mgpuStreamDestroy(stream);
  void *first = mgpuStreamCreate();
  void *second = mgpuStreamCreate();
  EXPECT_EQ(first, stream);
  EXPECT_EQ(fakeCalls().streamCalls,
            (std::vector<std::string>{"create", "create"}));
  mgpuStreamDestroy(first);
  mgpuStreamDestroy(second);
}

TEST_F(FakeDriverTest, StreamsForOverlappedGathers) {
  void *stream = sluice_rt_stream_create();
  EXPECT_EQ(stream, reinterpret_cast<void *>(0x5000));
  sluice_rt_stream_sync(stream);
  sluice_rt_stream_sync(stream);
  sluice_rt_stream_destroy(stream);
  // Destroying waits for the stream's work first, then keeps the stream for
  // reuse.
  EXPECT_EQ(fakeCalls().streamCalls,
            (std::vector<std::string>{"create", "sync", "sync", "sync"}));
  releaseStreamPool();
  EXPECT_EQ(fakeCalls().streamCalls.back(), "destroy");
}

TEST_F(FakeDriverTest, StagedGatherCopiesIndicesGathersAndCopiesRows) {
  std::vector<float> table(50 * 3);
  for (size_t i = 0; i < table.size(); ++i)
    table[i] = float(i);
  std::vector<int64_t> indices = {49, 0, 7, 7};
  std::vector<float> out(4 * 3, -1.0f);
  sluice_rt_staged_gather(reinterpret_cast<intptr_t>(table.data()), 50, 12,
                          reinterpret_cast<intptr_t>(indices.data()), 4,
                          reinterpret_cast<intptr_t>(out.data()), 0);
  for (int row = 0; row < 4; ++row)
    for (int col = 0; col < 3; ++col)
      EXPECT_EQ(out[row * 3 + col], table[indices[row] * 3 + col]);
  // Indices down, rows up; the staging buffer is allocated once and reused.
  EXPECT_EQ(fakeCalls().copies, (std::vector<size_t>{32, 48}));
  size_t allocations = fakeCalls().hostAllocations.size();
  sluice_rt_staged_gather(reinterpret_cast<intptr_t>(table.data()), 50, 12,
                          reinterpret_cast<intptr_t>(indices.data()), 4,
                          reinterpret_cast<intptr_t>(out.data()), 0);
  EXPECT_EQ(fakeCalls().hostAllocations.size(), allocations);
}

TEST_F(FakeDriverTest, StagedGatherStopsOnABadIndex) {
  std::vector<float> table(10 * 2);
  std::vector<int64_t> indices = {3, 10};
  std::vector<float> out(2 * 2);
  const char *where = "pipe.sl:3:9";
  EXPECT_EXIT(
      sluice_rt_staged_gather(reinterpret_cast<intptr_t>(table.data()), 10, 8,
                              reinterpret_cast<intptr_t>(indices.data()), 2,
                              reinterpret_cast<intptr_t>(out.data()),
                              reinterpret_cast<intptr_t>(where)),
      ::testing::ExitedWithCode(1),
      "sluice: error: pipe.sl:3:9: gather index 10 at position 1 is "
      "out of range for a table of 10 rows");
}

TEST_F(FakeDriverTest, BadIndexRecordedOnTheGpuIsReported) {
  // What a kernel writes into the slot (the fake's "device" address is the
  // host address plus an offset).
  auto record = [] {
    auto *slot = reinterpret_cast<int64_t *>(sluice_rt_gather_error_slot() -
                                             kFakeDeviceOffset);
    static const char where[] = "pipe.sl:4:2";
    slot[0] = 3 + 1;
    slot[1] = 77;
    slot[2] = 10;
    slot[3] = reinterpret_cast<int64_t>(where);
  };
  // Checked where the program waits ...
  EXPECT_EXIT(
      {
        record();
        sluice_rt_check_gather_errors();
      },
      ::testing::ExitedWithCode(1),
      "sluice: error: pipe.sl:4:2: gather index 77 at position 3 is out of "
      "range for a table of 10 rows");
  // ... and, for gathers nobody waited for, when it exits.
  EXPECT_EXIT(
      {
        record();
        std::exit(0);
      },
      ::testing::ExitedWithCode(1), "gather index 77 at position 3");
}

TEST_F(FakeDriverTest, HostRegisterTwiceIsFatal) {
  alignas(64) static char block[256];
  mgpuMemHostRegister(block, sizeof(block));
  EXPECT_EXIT(mgpuMemHostRegister(block, sizeof(block)),
              ::testing::ExitedWithCode(1), "is already registered");
  mgpuMemHostUnregister(block);
}

} // namespace

TEST_F(FakeDriverTest, EventsOrderStreamsThroughTheDriver) {
  // What gpu-to-llvm emits for a gpu.wait across streams: record on one,
  // wait on another, then synchronize and release.
  void *stream = mgpuStreamCreate();
  void *event = mgpuEventCreate();
  mgpuEventRecord(event, stream);
  mgpuStreamWaitEvent(stream, event);
  mgpuEventSynchronize(event);
  mgpuStreamSynchronize(stream);
  mgpuEventDestroy(event);
  // Events are created without timing (CU_EVENT_DISABLE_TIMING, 2): cheaper
  // to record, and the runtime never reads their times.
  std::vector<std::string> expected = {
      "create",     "event create 2", "record",       "wait",
      "event sync", "sync",           "event destroy"};
  EXPECT_EQ(fakeCalls().streamCalls, expected);
  mgpuStreamDestroy(stream);
}

TEST_F(FakeDriverTest, CopiesAndMemsetsReachTheDriver) {
  std::vector<uint32_t> source = {1, 2, 3, 4}, target(4, 0);
  mgpuMemcpy(target.data(), source.data(), 3 * sizeof(uint32_t), nullptr);
  EXPECT_EQ(target, (std::vector<uint32_t>{1, 2, 3, 0}));
  EXPECT_EQ(fakeCalls().copies, (std::vector<size_t>{12}));
  mgpuMemset32(target.data(), 0xdeadbeefu, 2, nullptr);
  EXPECT_EQ(target, (std::vector<uint32_t>{0xdeadbeefu, 0xdeadbeefu, 3, 0}));
  std::vector<uint16_t> halves(5, 7);
  mgpuMemset16(halves.data(), 0xabcd, 4, nullptr);
  EXPECT_EQ(halves, (std::vector<uint16_t>{0xabcd, 0xabcd, 0xabcd, 0xabcd, 7}));
}

TEST(CudaDeviceTest, SetDefaultDeviceSelectsTheOrdinalTheDriverOpens) {
  // Only a real driver opens a device; the choice shows in its error for an
  // ordinal no machine has. The death test re-executes the test binary, so
  // its child opens the driver after the choice; the check here only asks
  // whether libcuda loads, without opening it.
  void *libcuda = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
  if (!libcuda)
    GTEST_SKIP() << "no CUDA driver on this machine";
  dlclose(libcuda);
  if (std::getenv("SLUICE_DEVICE"))
    GTEST_SKIP() << "SLUICE_DEVICE is set, and wins";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        mgpuSetDefaultDevice(999);
        mgpuStreamCreate();
      },
      ::testing::ExitedWithCode(1), "no CUDA device 999: there are [0-9]+");
}
