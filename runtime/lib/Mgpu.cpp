//===- Mgpu.cpp - the mgpu* ABI over the CUDA driver ----------------------===//
//
// MLIR's gpu-to-llvm lowering emits calls to these functions; the generated
// code checks no results, so every failure here is fatal with a message that
// names the call and the CUDA error.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/CudaDriver.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/HostTables.h"
#include "sluice/Runtime/Profile.h"
#include "sluice/Runtime/Runtime.h"
#include "sluice/Runtime/UnifiedMemory.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

using namespace sluice::rt;

namespace {

CUdeviceptr devicePtr(const void *ptr) {
  return reinterpret_cast<CUdeviceptr>(ptr);
}

CUstream asStream(void *stream) { return static_cast<CUstream>(stream); }

/// The {pointer, bytes} a ranked memref descriptor covers, assuming the
/// identity layout gpu.host_register requires.
std::pair<void *, uint64_t> memrefExtent(int64_t rank, void *descriptor,
                                         int64_t elementSizeBytes) {
  struct Header {
    char *allocated;
    char *aligned;
    int64_t offset;
    int64_t sizes[1];
  };
  auto *header = static_cast<Header *>(descriptor);
  uint64_t elements = 1;
  for (int64_t dim = 0; dim < rank; ++dim)
    elements *= static_cast<uint64_t>(header->sizes[dim]);
  return {header->aligned + header->offset * elementSizeBytes,
          elements * static_cast<uint64_t>(elementSizeBytes)};
}

} // namespace

extern "C" {

// Generated code loads every kernel module from a global constructor, before
// main: loading is deferred to the module's first kernel lookup, so that a
// program's `--help` and its argument errors need no GPU, and only the
// kernels a run uses are JIT-compiled.
struct LazyModule {
  const void *image;
  int optLevel;
  std::once_flag once;
  CUmodule loaded = nullptr;
  std::mutex mutex; // guards `functions`
  std::unordered_map<const char *, CUfunction> functions;
};

/// Each kernel's name, for errors (and SLUICE_CUDA_SYNC's reports).
static std::mutex kernelNamesMutex;
static std::unordered_map<CUfunction, std::string> &kernelNames() {
  static auto *names = new std::unordered_map<CUfunction, std::string>;
  return *names;
}

static std::string kernelName(CUfunction function) {
  std::lock_guard<std::mutex> lock(kernelNamesMutex);
  auto found = kernelNames().find(function);
  return found == kernelNames().end() ? "a kernel" : "kernel " + found->second;
}

/// SLUICE_CUDA_SYNC=1: wait for every kernel as it is launched, so that a
/// failing kernel is reported by name rather than at the next wait.
static bool synchronizeEachLaunch() {
  static const bool enabled = [] {
    const char *value = std::getenv("SLUICE_CUDA_SYNC");
    return value && *value && std::string(value) != "0";
  }();
  return enabled;
}

static CUmodule loadModule(LazyModule &lazy) {
  std::call_once(lazy.once, [&] {
    // The driver compiles PTX for the device here (cached across runs); a
    // fatbin with code for this GPU loads without compiling.
    sluice::rt::ProfileScope profile("loading GPU code");
    const CudaDriver &driver = cudaDriver();
    char log[8192] = {0};
    int options[] = {CU_JIT_OPTIMIZATION_LEVEL, CU_JIT_ERROR_LOG_BUFFER,
                     CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {
        reinterpret_cast<void *>(static_cast<intptr_t>(lazy.optLevel)), log,
        reinterpret_cast<void *>(sizeof(log))};
    CUresult result =
        driver.cuModuleLoadDataEx(&lazy.loaded, lazy.image, 3, options, values);
    if (result != CUDA_SUCCESS)
      fatalError("loading the program's GPU code failed: " +
                 describeCudaResult(result) + (log[0] ? "\n" : "") + log);
  });
  return lazy.loaded;
}

void *mgpuModuleLoad(void *data, size_t) { return mgpuModuleLoadJIT(data, 3); }

void *mgpuModuleLoadJIT(void *data, int optLevel) {
  auto *lazy = new LazyModule;
  lazy->image = data;
  lazy->optLevel = optLevel;
  return lazy;
}

void mgpuModuleUnload(void *module) {
  // Runs from a global destructor, also in processes that never reached the
  // GPU: only unload what was loaded.
  auto *lazy = static_cast<LazyModule *>(module);
  if (!lazy)
    return;
  if (lazy->loaded && cudaDriverInitialized())
    tryCudaDriver()->cuModuleUnload(lazy->loaded);
  delete lazy;
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  auto &lazy = *static_cast<LazyModule *>(module);
  CUmodule loaded = loadModule(lazy);
  // Generated code looks the kernel up at every launch, by the address of
  // a constant name.
  std::lock_guard<std::mutex> lock(lazy.mutex);
  auto found = lazy.functions.find(name);
  if (found != lazy.functions.end())
    return found->second;
  CUfunction function = nullptr;
  CUresult result = cudaDriver().cuModuleGetFunction(&function, loaded, name);
  if (result != CUDA_SUCCESS)
    fatalError(std::string("cuModuleGetFunction(\"") + name +
               "\") failed: " + describeCudaResult(result));
  lazy.functions.emplace(name, function);
  std::lock_guard<std::mutex> names(kernelNamesMutex);
  kernelNames().emplace(function, name);
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t) {
  const CudaDriver &driver = cudaDriver();
  auto kernel = static_cast<CUfunction>(function);
  // SLUICE_PROFILE: each kernel runs alone (waited for), timed from its
  // launch, page migrations of managed memory included.
  bool profile = sluice::rt::profiling();
  std::optional<sluice::rt::ProfileScope> timed;
  if (profile) {
    driver.cuStreamSynchronize(asStream(stream));
    timed.emplace(kernelName(kernel));
  }
  CUresult result =
      driver.cuLaunchKernel(kernel, gridX, gridY, gridZ, blockX, blockY, blockZ,
                            smem, asStream(stream), params, extra);
  if (result == CUDA_SUCCESS && (profile || synchronizeEachLaunch()))
    result = driver.cuStreamSynchronize(asStream(stream));
  timed.reset();
  if (result != CUDA_SUCCESS)
    fatalError("launching " + kernelName(kernel) + " (" +
               std::to_string(gridX) + " blocks of " + std::to_string(blockX) +
               " threads) failed: " + describeCudaResult(result));
}

// MLIR's lowering of a synchronous launch creates a stream, launches, waits
// and destroys the stream, every time: in a batch loop that is two driver
// calls per batch that cost as much as a small kernel. Destroyed streams are
// kept (idle, since destroy follows a synchronize) and handed out again.
static std::mutex streamPoolMutex;
static std::vector<CUstream> &streamPool() {
  static auto *pool = new std::vector<CUstream>(); // outlives the driver
  return *pool;
}

} // extern "C"

void sluice::rt::releaseStreamPool() {
  std::lock_guard<std::mutex> lock(streamPoolMutex);
  for (CUstream stream : streamPool())
    cudaDriver().cuStreamDestroy(stream);
  streamPool().clear();
}

extern "C" {

void *mgpuStreamCreate() {
  {
    std::lock_guard<std::mutex> lock(streamPoolMutex);
    if (!streamPool().empty()) {
      CUstream stream = streamPool().back();
      streamPool().pop_back();
      return stream;
    }
  }
  CUstream stream = nullptr;
  checkCuda(cudaDriver().cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING),
            "cuStreamCreate");
  return stream;
}

void mgpuStreamDestroy(void *stream) {
  // Work still queued on it finishes before the stream is handed out again:
  // stream order is kept by whoever enqueues next.
  std::lock_guard<std::mutex> lock(streamPoolMutex);
  // Released twice (two waits on one stream's tokens): keeping it once
  // keeps two later streams from being the same one.
  if (std::find(streamPool().begin(), streamPool().end(), asStream(stream)) !=
      streamPool().end())
    return;
  if (streamPool().size() < 64) {
    streamPool().push_back(asStream(stream));
    return;
  }
  checkCuda(cudaDriver().cuStreamDestroy(asStream(stream)), "cuStreamDestroy");
}

void mgpuStreamSynchronize(void *stream) {
  sluice::rt::ProfileScope profile("waiting for the GPU");
  checkCuda(cudaDriver().cuStreamSynchronize(asStream(stream)),
            "cuStreamSynchronize");
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  checkCuda(cudaDriver().cuStreamWaitEvent(asStream(stream),
                                           static_cast<CUevent>(event), 0),
            "cuStreamWaitEvent");
}

void *mgpuEventCreate() {
  CUevent event = nullptr;
  checkCuda(cudaDriver().cuEventCreate(&event, CU_EVENT_DISABLE_TIMING),
            "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  checkCuda(cudaDriver().cuEventDestroy(static_cast<CUevent>(event)),
            "cuEventDestroy");
}

void mgpuEventSynchronize(void *event) {
  sluice::rt::ProfileScope profile("waiting for the GPU");
  checkCuda(cudaDriver().cuEventSynchronize(static_cast<CUevent>(event)),
            "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  checkCuda(
      cudaDriver().cuEventRecord(static_cast<CUevent>(event), asStream(stream)),
      "cuEventRecord");
}

void *mgpuMemAlloc(uint64_t sizeBytes, void *, bool isHostShared) {
  const CudaDriver &driver = cudaDriver();
  if (sizeBytes == 0)
    return nullptr;
  // Shared (managed) buffers come from the unified heap's cache: the
  // generated index sort allocates its scratch this way on every call.
  if (isHostShared)
    return _mlir_memref_to_llvm_alloc(sizeBytes);
  CUdeviceptr ptr = 0;
  CUresult result = driver.cuMemAlloc(&ptr, sizeBytes);
  if (result != CUDA_SUCCESS) {
    // Out of memory with shared blocks cached: give them back, once more.
    sluice::rt::releaseUnifiedHeap();
    result = driver.cuMemAlloc(&ptr, sizeBytes);
  }
  if (result != CUDA_SUCCESS)
    fatalError("allocating " + std::to_string(sizeBytes) +
               " bytes of device memory failed: " + describeCudaResult(result));
  return reinterpret_cast<void *>(ptr);
}

void mgpuMemFree(void *ptr, void *stream) {
  if (!ptr)
    return;
  if (sluice::rt::isUnifiedHeapRange(ptr, 0)) {
    // cuMemFree would wait for the device; a cached block must not be handed
    // out again while work that may use it is queued: the stream that frees
    // it, or with none given, any.
    if (stream)
      checkCuda(cudaDriver().cuStreamSynchronize(asStream(stream)),
                "cuStreamSynchronize");
    else
      checkCuda(cudaDriver().cuCtxSynchronize(), "cuCtxSynchronize");
    _mlir_memref_to_llvm_free(ptr);
    return;
  }
  checkCuda(cudaDriver().cuMemFree(devicePtr(ptr)), "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream) {
  checkCuda(cudaDriver().cuMemcpyAsync(devicePtr(dst), devicePtr(src),
                                       sizeBytes, asStream(stream)),
            "cuMemcpyAsync");
}

void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream) {
  checkCuda(cudaDriver().cuMemsetD32Async(devicePtr(dst), value, count,
                                          asStream(stream)),
            "cuMemsetD32Async");
}

void mgpuMemset16(void *dst, unsigned short value, size_t count, void *stream) {
  checkCuda(cudaDriver().cuMemsetD16Async(devicePtr(dst), value, count,
                                          asStream(stream)),
            "cuMemsetD16Async");
}

void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes) {
  std::string error;
  if (!registerHostTable(ptr, sizeBytes, error))
    fatalError(error);
}

void mgpuMemHostUnregister(void *ptr) {
  std::string error;
  if (!unregisterHostTable(ptr, error))
    fatalError(error);
}

void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                               int64_t elementSizeBytes) {
  auto [ptr, bytes] = memrefExtent(rank, descriptor, elementSizeBytes);
  mgpuMemHostRegister(ptr, bytes);
}

void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                 int64_t elementSizeBytes) {
  mgpuMemHostUnregister(memrefExtent(rank, descriptor, elementSizeBytes).first);
}

void mgpuSetDefaultDevice(int32_t device) { setDefaultCudaDevice(device); }

void *sluice_rt_stream_create() { return mgpuStreamCreate(); }
void sluice_rt_stream_sync(void *stream) {
  mgpuStreamSynchronize(stream);
  sluice_rt_check_gather_errors();
}
void sluice_rt_stream_destroy(void *stream) {
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  sluice_rt_check_gather_errors();
}

} // extern "C"
