//===- FakeCudaDriver.h - a recording stand-in for libcuda ------*- C++ -*-===//
//
// Lets the runtime's driver-facing logic (host-table registration, the mgpu*
// ABI, error reporting) be tested on machines without a GPU.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_TEST_RUNTIME_FAKECUDADRIVER_H
#define SLUICE_TEST_RUNTIME_FAKECUDADRIVER_H

#include "sluice/Runtime/CudaDriver.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace sluice::rt::testing {

struct FakeCalls {
  std::vector<std::pair<void *, size_t>> registered;
  std::vector<unsigned> registerFlags;
  std::vector<void *> unregistered;
  std::vector<size_t> allocations;
  std::vector<size_t> managedAllocations;
  unsigned launchGrid[3] = {0, 0, 0};
  unsigned launchBlock[3] = {0, 0, 0};
  unsigned launchSharedMemory = 0;
  std::vector<std::string> streamCalls;
  std::vector<size_t> copies;
  std::vector<size_t> hostAllocations;
  int moduleLoads = 0, functionLookups = 0, moduleUnloads = 0;
  CUresult nextLaunchResult = CUDA_SUCCESS;
  CUresult nextRegisterResult = CUDA_SUCCESS;
  CUresult nextAllocResult = CUDA_SUCCESS;
};

inline FakeCalls &fakeCalls() {
  static FakeCalls calls;
  return calls;
}

/// Device addresses the fake hands out: host address + this offset, so tests
/// can tell a device pointer from the host pointer it maps.
constexpr uintptr_t kFakeDeviceOffset = 0x100000;

inline CudaDriver makeFakeCudaDriver() {
  CudaDriver d{};
  d.cuGetErrorName = [](CUresult result, const char **name) -> CUresult {
    *name = result == 2 ? "CUDA_ERROR_OUT_OF_MEMORY" : "CUDA_ERROR_UNKNOWN";
    return CUDA_SUCCESS;
  };
  d.cuGetErrorString = [](CUresult result, const char **text) -> CUresult {
    *text = result == 2 ? "out of memory" : "unknown error";
    return CUDA_SUCCESS;
  };
  d.cuMemHostRegister = [](void *ptr, size_t bytes, unsigned flags) {
    FakeCalls &calls = fakeCalls();
    if (calls.nextRegisterResult != CUDA_SUCCESS) {
      CUresult result = calls.nextRegisterResult;
      calls.nextRegisterResult = CUDA_SUCCESS;
      return result;
    }
    calls.registered.emplace_back(ptr, bytes);
    calls.registerFlags.push_back(flags);
    return CUDA_SUCCESS;
  };
  d.cuMemHostUnregister = [](void *ptr) {
    fakeCalls().unregistered.push_back(ptr);
    return CUDA_SUCCESS;
  };
  d.cuMemHostGetDevicePointer = [](CUdeviceptr *device, void *ptr, unsigned) {
    *device = reinterpret_cast<uintptr_t>(ptr) + kFakeDeviceOffset;
    return CUDA_SUCCESS;
  };
  d.cuMemAlloc = [](CUdeviceptr *ptr, size_t bytes) {
    FakeCalls &calls = fakeCalls();
    if (calls.nextAllocResult != CUDA_SUCCESS)
      return calls.nextAllocResult;
    calls.allocations.push_back(bytes);
    *ptr = 0xd000;
    return CUDA_SUCCESS;
  };
  d.cuMemAllocManaged = [](CUdeviceptr *ptr, size_t bytes, unsigned) {
    fakeCalls().managedAllocations.push_back(bytes);
    *ptr = 0xe000;
    return CUDA_SUCCESS;
  };
  d.cuLaunchKernel = [](CUfunction, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned smem,
                        CUstream, void **, void **) {
    FakeCalls &calls = fakeCalls();
    calls.launchGrid[0] = gx;
    calls.launchGrid[1] = gy;
    calls.launchGrid[2] = gz;
    calls.launchBlock[0] = bx;
    calls.launchBlock[1] = by;
    calls.launchBlock[2] = bz;
    calls.launchSharedMemory = smem;
    CUresult result = calls.nextLaunchResult;
    calls.nextLaunchResult = CUDA_SUCCESS;
    return result;
  };
  // "Device" memory is host memory in the fake: copies are memcpy.
  d.cuMemcpyAsync = [](CUdeviceptr dst, CUdeviceptr src, size_t bytes,
                       CUstream) {
    fakeCalls().copies.push_back(bytes);
    std::memcpy(reinterpret_cast<void *>(dst),
                reinterpret_cast<const void *>(src), bytes);
    return CUDA_SUCCESS;
  };
  d.cuCtxSynchronize = []() { return CUDA_SUCCESS; };
  d.cuMemHostAlloc = [](void **ptr, size_t bytes, unsigned) {
    fakeCalls().hostAllocations.push_back(bytes);
    *ptr = std::malloc(bytes);
    return CUDA_SUCCESS;
  };
  d.cuModuleLoadDataEx = [](CUmodule *module, const void *, unsigned, int *,
                            void **) {
    ++fakeCalls().moduleLoads;
    *module = reinterpret_cast<CUmodule>(0xb000);
    return CUDA_SUCCESS;
  };
  d.cuModuleGetFunction = [](CUfunction *function, CUmodule, const char *) {
    ++fakeCalls().functionLookups;
    *function = reinterpret_cast<CUfunction>(0xf000);
    return CUDA_SUCCESS;
  };
  d.cuModuleUnload = [](CUmodule) {
    ++fakeCalls().moduleUnloads;
    return CUDA_SUCCESS;
  };
  d.cuMemFreeHost = [](void *ptr) {
    std::free(ptr);
    return CUDA_SUCCESS;
  };
  d.cuStreamCreate = [](CUstream *stream, unsigned) {
    fakeCalls().streamCalls.push_back("create");
    *stream = reinterpret_cast<CUstream>(0x5000);
    return CUDA_SUCCESS;
  };
  d.cuStreamSynchronize = [](CUstream stream) {
    fakeCalls().streamCalls.push_back(
        stream == reinterpret_cast<CUstream>(0x5000) ? "sync" : "sync?");
    return CUDA_SUCCESS;
  };
  d.cuStreamDestroy = [](CUstream stream) {
    fakeCalls().streamCalls.push_back(
        stream == reinterpret_cast<CUstream>(0x5000) ? "destroy" : "destroy?");
    return CUDA_SUCCESS;
  };
  // Events: one, 0x6000; each call records what it was given.
  d.cuEventCreate = [](CUevent *event, unsigned flags) {
    fakeCalls().streamCalls.push_back("event create " + std::to_string(flags));
    *event = reinterpret_cast<CUevent>(0x6000);
    return CUDA_SUCCESS;
  };
  d.cuEventRecord = [](CUevent event, CUstream stream) {
    bool known = event == reinterpret_cast<CUevent>(0x6000) &&
                 stream == reinterpret_cast<CUstream>(0x5000);
    fakeCalls().streamCalls.push_back(known ? "record" : "record?");
    return CUDA_SUCCESS;
  };
  d.cuStreamWaitEvent = [](CUstream stream, CUevent event, unsigned) {
    bool known = event == reinterpret_cast<CUevent>(0x6000) &&
                 stream == reinterpret_cast<CUstream>(0x5000);
    fakeCalls().streamCalls.push_back(known ? "wait" : "wait?");
    return CUDA_SUCCESS;
  };
  d.cuEventSynchronize = [](CUevent event) {
    fakeCalls().streamCalls.push_back(event == reinterpret_cast<CUevent>(0x6000)
                                          ? "event sync"
                                          : "event sync?");
    return CUDA_SUCCESS;
  };
  d.cuEventDestroy = [](CUevent event) {
    fakeCalls().streamCalls.push_back(event == reinterpret_cast<CUevent>(0x6000)
                                          ? "event destroy"
                                          : "event destroy?");
    return CUDA_SUCCESS;
  };
  // Memsets write the host memory the fake's "device" pointers are.
  d.cuMemsetD32Async = [](CUdeviceptr dst, unsigned value, size_t count,
                          CUstream) {
    auto *words = reinterpret_cast<uint32_t *>(dst);
    for (size_t i = 0; i < count; ++i)
      words[i] = value;
    return CUDA_SUCCESS;
  };
  d.cuMemsetD16Async = [](CUdeviceptr dst, unsigned short value, size_t count,
                          CUstream) {
    auto *halves = reinterpret_cast<uint16_t *>(dst);
    for (size_t i = 0; i < count; ++i)
      halves[i] = value;
    return CUDA_SUCCESS;
  };
  return d;
}

} // namespace sluice::rt::testing

#endif // SLUICE_TEST_RUNTIME_FAKECUDADRIVER_H
