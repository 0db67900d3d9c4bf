//===- CudaDriver.h - the CUDA driver API, loaded at run time ---*- C++ -*-===//
//
// The few CUDA driver types and entry points the runtime uses, declared here
// so that building needs no CUDA headers, and loaded with
// dlopen("libcuda.so.1") on first use, as Triton does.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_CUDADRIVER_H
#define SLUICE_RUNTIME_CUDADRIVER_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice::rt {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using CUevent = struct CUevent_st *;

constexpr CUresult CUDA_SUCCESS = 0;
constexpr CUresult CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED = 712;
constexpr unsigned CU_MEMHOSTREGISTER_PORTABLE = 0x01;
constexpr unsigned CU_MEMHOSTREGISTER_DEVICEMAP = 0x02;
constexpr unsigned CU_MEMHOSTALLOC_PORTABLE = 0x01;
constexpr unsigned CU_MEMHOSTALLOC_DEVICEMAP = 0x02;
constexpr unsigned CU_MEM_ATTACH_GLOBAL = 0x1;
// cuMemAdvise's advice (CUmem_advise) and the device that stands for the CPU.
constexpr int CU_MEM_ADVISE_SET_PREFERRED_LOCATION = 3;
constexpr int CU_MEM_ADVISE_UNSET_PREFERRED_LOCATION = 4;
constexpr int CU_MEM_ADVISE_SET_ACCESSED_BY = 5;
constexpr int CU_MEM_ADVISE_UNSET_ACCESSED_BY = 6;
constexpr int CU_DEVICE_CPU = -1;
constexpr CUresult CUDA_ERROR_NOT_SUPPORTED = 801;
/// CUmemLocation: where memory is (type 1 a device `id`, 2 the host).
struct CUmemLocation {
  int type;
  int id;
};
constexpr unsigned CU_STREAM_NON_BLOCKING = 0x1;
constexpr unsigned CU_EVENT_DISABLE_TIMING = 0x2;
constexpr int CU_JIT_ERROR_LOG_BUFFER = 5;
constexpr int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
constexpr int CU_JIT_OPTIMIZATION_LEVEL = 7;
constexpr int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
constexpr int CU_DEVICE_ATTRIBUTE_CAN_USE_HOST_POINTER_FOR_REGISTERED_MEM = 91;

/// Entry points of libcuda.so.1. Tests substitute a fake table.
struct CudaDriver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetName)(char *, int, CUdevice);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuCtxSynchronize)();
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuEventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*cuMemsetD16Async)(CUdeviceptr, unsigned short, size_t, CUstream);
  CUresult (*cuMemHostRegister)(void *, size_t, unsigned);
  CUresult (*cuMemHostUnregister)(void *);
  CUresult (*cuMemHostGetDevicePointer)(CUdeviceptr *, void *, unsigned);
  CUresult (*cuMemHostAlloc)(void **, size_t, unsigned);
  CUresult (*cuMemFreeHost)(void *);
  // Optional: drivers export cuMemAdvise (a device) and, since CUDA 12.2,
  // cuMemAdvise_v2 (a location); memAdvise uses whichever there is.
  CUresult (*cuMemAdvise)(CUdeviceptr, size_t, int, CUdevice);
  CUresult (*cuMemAdviseV2)(CUdeviceptr, size_t, int, CUmemLocation);
};

/// The driver, loaded and initialised on first use with a current context on
/// the calling thread; null (with `whyNot` set) when there is no driver or no
/// device. Never exits.
const CudaDriver *tryCudaDriver(std::string *whyNot = nullptr);

/// As tryCudaDriver, but a missing driver or device is a fatal error that
/// names what is missing.
const CudaDriver &cudaDriver();

/// Whether a driver has been initialised (so that teardown code can skip
/// driver calls in a process that never used the GPU).
bool cudaDriverInitialized();

/// cuMemAdvise through whichever entry point the driver has; `device` is a
/// GPU or CU_DEVICE_CPU. CUDA_ERROR_NOT_SUPPORTED when it has neither.
CUresult memAdvise(const CudaDriver &driver, void *pointer, size_t bytes,
                   int advice, CUdevice device);

/// "CUDA_ERROR_OUT_OF_MEMORY (out of memory)" for a result code.
std::string describeCudaResult(CUresult result);

/// Exits with a message naming `call` and the error when `result` is not
/// CUDA_SUCCESS.
void checkCuda(CUresult result, const char *call);

/// The device the runtime uses (SLUICE_DEVICE, else mgpuSetDefaultDevice's,
/// else 0).
CUdevice currentCudaDevice();

/// Selects the device used when the driver is first initialised (SLUICE_DEVICE
/// still wins).
void setDefaultCudaDevice(int device);

/// Destroys the idle streams the mgpu* ABI keeps for reuse (tests start from
/// an empty pool with it).
void releaseStreamPool();

/// Replaces the driver for tests; `nullptr` restores loading the real one.
void setCudaDriverForTesting(const CudaDriver *driver);

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_CUDADRIVER_H
