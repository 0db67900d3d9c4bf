//===- CudaDriver.cpp - loading the CUDA driver at run time ---------------===//

#include "sluice/Runtime/CudaDriver.h"
#include "sluice/Runtime/Error.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>

namespace sluice::rt {
namespace {

struct DriverState {
  std::once_flag loaded;
  CudaDriver table{};
  bool ok = false;
  std::string whyNot;
  CUdevice device = 0;
  CUcontext context = nullptr;
  int defaultDevice = 0;
  const CudaDriver *testDriver = nullptr;
};

DriverState &state() {
  // Never destroyed: module-unload destructors of generated code may run
  // after other static objects are gone.
  static DriverState *instance = new DriverState();
  return *instance;
}

/// Looks up `name` in `library`, recording the first missing symbol.
template <typename Fn>
bool bind(void *library, const char *name, Fn &slot, std::string &missing) {
  slot = reinterpret_cast<Fn>(dlsym(library, name));
  if (!slot && missing.empty())
    missing = name;
  return slot != nullptr;
}

void loadDriver(DriverState &s) {
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *reason = dlerror();
    s.whyNot = std::string("no CUDA driver: libcuda.so.1 could not be "
                           "loaded (") +
               (reason ? reason : "unknown reason") +
               "); install the NVIDIA driver, or build with --target=cpu";
    return;
  }
  std::string missing;
  CudaDriver &d = s.table;
  bind(library, "cuInit", d.cuInit, missing);
  bind(library, "cuGetErrorName", d.cuGetErrorName, missing);
  bind(library, "cuGetErrorString", d.cuGetErrorString, missing);
  bind(library, "cuDeviceGetCount", d.cuDeviceGetCount, missing);
  bind(library, "cuDeviceGet", d.cuDeviceGet, missing);
  bind(library, "cuDeviceGetName", d.cuDeviceGetName, missing);
  bind(library, "cuDeviceGetAttribute", d.cuDeviceGetAttribute, missing);
  bind(library, "cuDevicePrimaryCtxRetain", d.cuDevicePrimaryCtxRetain,
       missing);
  bind(library, "cuCtxSetCurrent", d.cuCtxSetCurrent, missing);
  bind(library, "cuCtxSynchronize", d.cuCtxSynchronize, missing);
  bind(library, "cuModuleLoadDataEx", d.cuModuleLoadDataEx, missing);
  bind(library, "cuModuleUnload", d.cuModuleUnload, missing);
  bind(library, "cuModuleGetFunction", d.cuModuleGetFunction, missing);
  bind(library, "cuLaunchKernel", d.cuLaunchKernel, missing);
  bind(library, "cuStreamCreate", d.cuStreamCreate, missing);
  bind(library, "cuStreamDestroy_v2", d.cuStreamDestroy, missing);
  bind(library, "cuStreamSynchronize", d.cuStreamSynchronize, missing);
  bind(library, "cuStreamWaitEvent", d.cuStreamWaitEvent, missing);
  bind(library, "cuEventCreate", d.cuEventCreate, missing);
  bind(library, "cuEventDestroy_v2", d.cuEventDestroy, missing);
  bind(library, "cuEventRecord", d.cuEventRecord, missing);
  bind(library, "cuEventSynchronize", d.cuEventSynchronize, missing);
  bind(library, "cuEventElapsedTime", d.cuEventElapsedTime, missing);
  bind(library, "cuMemAlloc_v2", d.cuMemAlloc, missing);
  bind(library, "cuMemAllocManaged", d.cuMemAllocManaged, missing);
  bind(library, "cuMemFree_v2", d.cuMemFree, missing);
  bind(library, "cuMemcpyAsync", d.cuMemcpyAsync, missing);
  bind(library, "cuMemsetD32Async", d.cuMemsetD32Async, missing);
  bind(library, "cuMemsetD16Async", d.cuMemsetD16Async, missing);
  bind(library, "cuMemHostRegister_v2", d.cuMemHostRegister, missing);
  bind(library, "cuMemHostUnregister", d.cuMemHostUnregister, missing);
  bind(library, "cuMemHostGetDevicePointer_v2", d.cuMemHostGetDevicePointer,
       missing);
  bind(library, "cuMemHostAlloc", d.cuMemHostAlloc, missing);
  bind(library, "cuMemFreeHost", d.cuMemFreeHost, missing);
  std::string optional;
  bind(library, "cuMemAdvise", d.cuMemAdvise, optional);
  bind(library, "cuMemAdvise_v2", d.cuMemAdviseV2, optional);
  if (!missing.empty()) {
    s.whyNot =
        "the CUDA driver is too old: libcuda.so.1 has no '" + missing + "'";
    return;
  }

  CUresult result = d.cuInit(0);
  if (result != CUDA_SUCCESS) {
    s.whyNot = "the CUDA driver failed to initialise: cuInit returned " +
               describeCudaResult(result);
    return;
  }
  int count = 0;
  result = d.cuDeviceGetCount(&count);
  if (result != CUDA_SUCCESS || count == 0) {
    s.whyNot = "no CUDA device: the driver is loaded but reports no GPU";
    return;
  }
  int ordinal = s.defaultDevice;
  if (const char *env = std::getenv("SLUICE_DEVICE"))
    ordinal = std::atoi(env);
  if (ordinal < 0 || ordinal >= count) {
    s.whyNot = "no CUDA device " + std::to_string(ordinal) + ": there are " +
               std::to_string(count) + " (SLUICE_DEVICE selects one)";
    return;
  }
  if ((result = d.cuDeviceGet(&s.device, ordinal)) != CUDA_SUCCESS ||
      (result = d.cuDevicePrimaryCtxRetain(&s.context, s.device)) !=
          CUDA_SUCCESS) {
    s.whyNot = "cannot use CUDA device " + std::to_string(ordinal) + ": " +
               describeCudaResult(result);
    return;
  }
  s.ok = true;
}

} // namespace

CUresult memAdvise(const CudaDriver &driver, void *pointer, size_t bytes,
                   int advice, CUdevice device) {
  CUdeviceptr at = reinterpret_cast<CUdeviceptr>(pointer);
  if (driver.cuMemAdvise)
    return driver.cuMemAdvise(at, bytes, advice, device);
  if (driver.cuMemAdviseV2) {
    CUmemLocation location = device == CU_DEVICE_CPU ? CUmemLocation{2, 0}
                                                     : CUmemLocation{1, device};
    return driver.cuMemAdviseV2(at, bytes, advice, location);
  }
  return CUDA_ERROR_NOT_SUPPORTED;
}

const CudaDriver *tryCudaDriver(std::string *whyNot) {
  DriverState &s = state();
  if (s.testDriver)
    return s.testDriver;
  std::call_once(s.loaded, loadDriver, s);
  if (!s.ok) {
    if (whyNot)
      *whyNot = s.whyNot;
    return nullptr;
  }
  // The primary context must be current on every thread that calls in.
  static thread_local bool contextCurrent = false;
  if (!contextCurrent) {
    checkCuda(s.table.cuCtxSetCurrent(s.context), "cuCtxSetCurrent");
    contextCurrent = true;
  }
  return &s.table;
}

const CudaDriver &cudaDriver() {
  std::string whyNot;
  const CudaDriver *driver = tryCudaDriver(&whyNot);
  if (!driver)
    fatalError(whyNot);
  return *driver;
}

bool cudaDriverInitialized() {
  DriverState &s = state();
  return s.testDriver || s.ok;
}

std::string describeCudaResult(CUresult result) {
  DriverState &s = state();
  const CudaDriver *d = s.testDriver ? s.testDriver : &s.table;
  const char *name = nullptr;
  const char *text = nullptr;
  if (d->cuGetErrorName)
    d->cuGetErrorName(result, &name);
  if (d->cuGetErrorString)
    d->cuGetErrorString(result, &text);
  std::string description =
      name ? name : "CUDA error " + std::to_string(result);
  if (text)
    description += std::string(" (") + text + ")";
  return description;
}

void checkCuda(CUresult result, const char *call) {
  if (result != CUDA_SUCCESS)
    fatalError(std::string(call) + " failed: " + describeCudaResult(result));
}

CUdevice currentCudaDevice() { return state().device; }

void setCudaDriverForTesting(const CudaDriver *driver) {
  state().testDriver = driver;
}

void setDefaultCudaDevice(int device) { state().defaultDevice = device; }

} // namespace sluice::rt
