//===- Blas.cpp - matrix products through OpenBLAS ------------------------===//
//
// The one BLAS entry point generated code calls. cblas_sgemm is declared
// here (its ABI is fixed) rather than taken from cblas.h, whose copy in
// /usr/include depends on which BLAS the alternatives system selected.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/Blas.h"

namespace {
enum { RowMajor = 101, NoTrans = 111 };
} // namespace

extern "C" void cblas_sgemm(int order, int transA, int transB, int m, int n,
                            int k, float alpha, const float *a, int lda,
                            const float *b, int ldb, float beta, float *c,
                            int ldc);

extern "C" void sluice_rt_matmul_f32(int64_t m, int64_t n, int64_t k,
                                     intptr_t a, int64_t lda, intptr_t b,
                                     int64_t ldb, intptr_t c, int64_t ldc) {
  if (m == 0 || n == 0)
    return;
  // BLAS wants a leading dimension of at least one (and at least the row
  // length), even for an operand with no elements to read.
  auto leading = [](int64_t ld, int64_t columns) {
    return int(ld > columns ? ld : (columns > 0 ? columns : 1));
  };
  cblas_sgemm(RowMajor, NoTrans, NoTrans, int(m), int(n), int(k), 1.0f,
              reinterpret_cast<const float *>(a), leading(lda, k),
              reinterpret_cast<const float *>(b), leading(ldb, n), 1.0f,
              reinterpret_cast<float *>(c), leading(ldc, n));
}
