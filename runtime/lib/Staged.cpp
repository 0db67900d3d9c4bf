//===- Staged.cpp - the staged (conventional) GPU gather path -------------===//
//
// What PyTorch and DGL do by default, and what a `host_staged` table is for
// (systems without mapped host memory, or as a baseline): CPU threads gather
// the rows into a dense page-locked buffer, then one DMA copy moves it to the
// device. Costs host memory bandwidth three times over; see TECHNIQUES.md.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/CudaDriver.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Gather.h"
#include "sluice/Runtime/Profile.h"
#include "sluice/Runtime/Runtime.h"

#include <mutex>
#include <vector>

namespace sluice::rt {
namespace {

/// A page-locked staging buffer that grows as needed and lives for the whole
/// program (one per process; gathers through it are serialized).
struct StagingBuffer {
  std::mutex mutex;
  void *data = nullptr;
  size_t capacity = 0;

  void *reserve(const CudaDriver &driver, size_t bytes) {
    if (bytes <= capacity)
      return data;
    if (data)
      driver.cuMemFreeHost(data);
    data = nullptr;
    capacity = 0;
    size_t grown = std::max(bytes, size_t(1) << 20);
    checkCuda(driver.cuMemHostAlloc(&data, grown, CU_MEMHOSTALLOC_PORTABLE),
              "cuMemHostAlloc (staging buffer)");
    capacity = grown;
    return data;
  }
};

StagingBuffer &staging() {
  static StagingBuffer *buffer = new StagingBuffer(); // freed by the OS
  return *buffer;
}

void copySync(const CudaDriver &driver, void *dst, const void *src,
              size_t bytes) {
  if (bytes == 0)
    return;
  checkCuda(driver.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                                 reinterpret_cast<CUdeviceptr>(src), bytes,
                                 nullptr),
            "cuMemcpyAsync");
  checkCuda(driver.cuCtxSynchronize(), "cuCtxSynchronize");
}

} // namespace
} // namespace sluice::rt

using namespace sluice::rt;

extern "C" void sluice_rt_staged_gather(intptr_t table, int64_t numRows,
                                        int64_t rowBytes, intptr_t indices,
                                        int64_t count, intptr_t out,
                                        intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  if (count <= 0)
    return;
  const CudaDriver &driver = cudaDriver();
  // The indices may live in device memory: bring them to the host first.
  std::vector<int64_t> hostIndices(count);
  copySync(driver, hostIndices.data(), reinterpret_cast<const void *>(indices),
           count * sizeof(int64_t));
  StagingBuffer &buffer = staging();
  std::lock_guard<std::mutex> lock(buffer.mutex);
  void *dense = buffer.reserve(driver, size_t(count) * rowBytes);
  std::string error;
  if (!gatherRows(reinterpret_cast<const void *>(table), numRows, rowBytes,
                  hostIndices.data(), count, dense, error))
    fatalError((where
                    ? std::string(reinterpret_cast<const char *>(where)) + ": "
                    : std::string()) +
               error);
  copySync(driver, reinterpret_cast<void *>(out), dense,
           size_t(count) * rowBytes);
}
