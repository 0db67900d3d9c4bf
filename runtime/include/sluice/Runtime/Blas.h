//===- Blas.h - matrix products through OpenBLAS ----------------*- C++ -*-===//

#ifndef SLUICE_RUNTIME_BLAS_H
#define SLUICE_RUNTIME_BLAS_H

#include <cstdint>

extern "C" {
/// C += A B for row-major f32 matrices: A is m x k with rows `lda` elements
/// apart, B k x n (`ldb`), C m x n (`ldc`); what `linalg.matmul` on buffers
/// becomes (sluice-convert-linalg-to-blas). Runs on OpenBLAS's threads.
void sluice_rt_matmul_f32(int64_t m, int64_t n, int64_t k, intptr_t a,
                          int64_t lda, intptr_t b, int64_t ldb, intptr_t c,
                          int64_t ldc);
}

#endif // SLUICE_RUNTIME_BLAS_H
