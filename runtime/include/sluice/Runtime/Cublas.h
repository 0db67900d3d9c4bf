//===- Cublas.h - matrix products on the GPU through cuBLAS -----*- C++ -*-===//
//
// cuBLAS is loaded at run time with dlopen, like the driver: nothing about
// CUDA is needed to build. A tensor program built for CUDA sends its f32
// matrix products here (sluice-convert-linalg-to-blas with
// callee=sluice_rt_gpu_matmul_f32); its buffers are managed memory, which
// cuBLAS reads and writes directly.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_CUBLAS_H
#define SLUICE_RUNTIME_CUBLAS_H

#include <cstdint>
#include <string>

namespace sluice::rt {

/// The few cuBLAS entry points the runtime calls (v2 API, column-major).
struct CublasLibrary {
  int (*create)(void **handle);
  int (*sgemm)(void *handle, int transA, int transB, int m, int n, int k,
               const float *alpha, const float *a, int lda, const float *b,
               int ldb, const float *beta, float *c, int ldc);
};

/// cuBLAS's operation codes (cublasOperation_t).
enum : int { kCublasNoTrans = 0, kCublasTrans = 1 };

/// cuBLAS, loaded on first use from SLUICE_CUBLAS (a path) if set, else
/// libcublas.so.13, .12, .11 or libcublas.so on the library path, else from
/// /usr/local/cuda/lib64; null (with `whyNot` set) when none loads.
const CublasLibrary *tryCublas(std::string *whyNot = nullptr);

/// Replaces cuBLAS for tests; `nullptr` restores loading the real one. A
/// replacement with null entries stands for "no cuBLAS".
void setCublasForTesting(const CublasLibrary *library);

} // namespace sluice::rt

extern "C" {
/// What sluice_rt_matmul_f32 computes (C += op(A) op(B), row-major f32,
/// the same arguments), on the GPU with cuBLAS, then waits for it: every
/// operation of these programs is synchronous. Without cuBLAS it warns once
/// and computes on the CPU with plain loops, on the same (managed) buffers.
void sluice_rt_gpu_matmul_f32(int64_t m, int64_t n, int64_t k, intptr_t a,
                              int64_t lda, int64_t transA, intptr_t b,
                              int64_t ldb, int64_t transB, intptr_t c,
                              int64_t ldc);
}

#endif // SLUICE_RUNTIME_CUBLAS_H
