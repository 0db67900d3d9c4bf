//===- Runtime.h - libsluice_rt's C ABI -------------------------*- C++ -*-===//
//
// The functions compiled Sluice programs call. Two groups:
//  - `mgpu*`: the ABI that MLIR 22's `gpu-to-llvm` lowering emits calls to,
//    implemented over the CUDA driver API loaded at run time with dlopen, so
//    nothing about CUDA is needed to build or link.
//  - `sluice_rt_*`: Sluice's own entry points (host tables, CPU gathers).
//
// No C++ exception crosses this interface. A failure that the generated code
// cannot handle (the mgpu* functions return no status) prints
// `sluice: error: ...` naming the failing call and the CUDA error, and exits
// with status 1.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_RUNTIME_H
#define SLUICE_RUNTIME_RUNTIME_H

#include <cstddef>
#include <cstdint>

extern "C" {

//===----------------------------------------------------------------------===//
// The mgpu* ABI (signatures as MLIR 22's gpu-to-llvm emits them)
//===----------------------------------------------------------------------===//

void *mgpuModuleLoad(void *data, size_t gpuBlobSize);
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t paramsCount);
void *mgpuStreamCreate();
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate();
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, bool isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream);
void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream);
void mgpuMemset16(void *dst, unsigned short value, size_t count, void *stream);
void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes);
void mgpuMemHostUnregister(void *ptr);
/// `descriptor` points at a ranked memref descriptor {allocated, aligned,
/// offset, sizes[rank], strides[rank]}.
void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                               int64_t elementSizeBytes);
void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                 int64_t elementSizeBytes);
void mgpuSetDefaultDevice(int32_t device);

//===----------------------------------------------------------------------===//
// Sluice's own entry points
//===----------------------------------------------------------------------===//

/// The device address of the slot where GPU gather kernels record an index
/// outside their table: int64 [position + 1 (0: none), index, table rows,
/// address of the gather's source location]. Page-locked, device-mapped.
intptr_t sluice_rt_gather_error_slot();

/// Stops the program with `sluice: error: <where>: gather index ... is out of
/// range ...` if a GPU gather recorded one. Generated code calls it after
/// waiting for gathers; stream sync and destroy call it too.
void sluice_rt_check_gather_errors();

/// Streams for the overlap pass's gathers (the CUDA calls behind the mgpu*
/// ABI; failures are fatal). sync waits for the stream's work and keeps it.
void *sluice_rt_stream_create();
void sluice_rt_stream_sync(void *stream);
void sluice_rt_stream_destroy(void *stream);

/// Placements, numbered as the dialect's `Placement` enum.
enum SluiceRtPlacement : int32_t {
  SLUICE_RT_AUTO = 0,
  SLUICE_RT_DEVICE = 1,
  SLUICE_RT_HOST_ZERO_COPY = 2,
  SLUICE_RT_HOST_STAGED = 3,
};

/// Copies `count` rows of `rowBytes` bytes each, `out[i] = table[indices[i]]`,
/// with every thread of the runtime's pool. Returns 0, or -1 after reporting
/// (stderr, and `sluice_rt_last_error`) an index outside `[0, numRows)`; no
/// row is read out of bounds.
int32_t sluice_rt_gather_rows(const void *table, int64_t numRows,
                              int64_t rowBytes, const int64_t *indices,
                              int64_t count, void *out);

/// sluice.sort_unique on buffers of `count` int64 indices: the distinct
/// values in ascending order to the front of `unique` (room for `count`), each
/// index's position among them to `inverse`; returns the number of distinct
/// values.
int64_t sluice_rt_sort_unique(intptr_t indices, int64_t count, intptr_t unique,
                              intptr_t inverse);

/// The gather compiled CPU programs call: as sluice_rt_gather_rows, but a bad
/// index stops the program with `sluice: error: <where>: <what>` and exit
/// status 1 (`where` is the gather's source location, NUL-terminated).
void sluice_rt_cpu_gather(intptr_t table, int64_t numRows, int64_t rowBytes,
                          intptr_t indices, int64_t count, intptr_t out,
                          intptr_t where);

/// The staged GPU path for `host_staged` tables: copies the indices to the
/// host, gathers the rows on the CPU into a page-locked staging buffer, then
/// copies them to `out` (device or managed memory) and waits. A bad index
/// stops the program like sluice_rt_cpu_gather.
void sluice_rt_staged_gather(intptr_t table, int64_t numRows, int64_t rowBytes,
                             intptr_t indices, int64_t count, intptr_t out,
                             intptr_t where);

/// Page-locks `bytes` bytes at `ptr` and maps them into the device address
/// space for zero-copy reads. Returns the device address of `ptr`, or null
/// after reporting why (no driver, already registered, a view into a
/// registered block, a CUDA error).
void *sluice_rt_register_host_table(void *ptr, uint64_t bytes);

/// Undoes sluice_rt_register_host_table. Returns 0, or -1 after reporting why
/// (never registered, or already unregistered).
int32_t sluice_rt_unregister_host_table(void *ptr);

/// Allocates and registers a zero-copy host table of `bytes` bytes, 2 MiB
/// aligned and backed by transparent huge pages where the system allows.
/// Returns its host address, or null after reporting why.
void *sluice_rt_alloc_host_table(uint64_t bytes);

/// Unregisters and frees a table from sluice_rt_alloc_host_table. Returns 0,
/// or -1 after reporting why.
int32_t sluice_rt_free_host_table(void *ptr);

/// Printing for compiled programs and their tests: a value and a space, or a
/// newline. Flushed at exit with the rest of stdout.
void sluice_rt_print_i64(int64_t value);
void sluice_rt_print_f64(double value);
void sluice_rt_print_newline();

/// The message of the last failure reported by a sluice_rt_* function on this
/// thread ("" if none).
const char *sluice_rt_last_error();

} // extern "C"

#endif // SLUICE_RUNTIME_RUNTIME_H
