//===- Blas.h - matrix products through OpenBLAS ----------------*- C++ -*-===//

#ifndef SLUICE_RUNTIME_BLAS_H
#define SLUICE_RUNTIME_BLAS_H

#include <cstdint>

extern "C" {
/// C += op(A) op(B) for row-major f32 matrices, op(X) = X or (when the
/// flag is set) its transpose: op(A) is m x k, stored with rows `lda`
/// elements apart (as m x k, or k x m when transposed), op(B) k x n (`ldb`),
/// C m x n (`ldc`); what `linalg.matmul` on buffers becomes
/// (sluice-convert-linalg-to-blas). Single-threaded OpenBLAS calls on blocks
/// of C, spread over the runtime's thread pool.
void sluice_rt_matmul_f32(int64_t m, int64_t n, int64_t k, intptr_t a,
                          int64_t lda, int64_t transA, intptr_t b, int64_t ldb,
                          int64_t transB, intptr_t c, int64_t ldc);
}

#endif // SLUICE_RUNTIME_BLAS_H
