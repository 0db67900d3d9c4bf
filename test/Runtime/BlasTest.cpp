//===- BlasTest.cpp - matrix products through OpenBLAS --------------------===//

#include "sluice/Runtime/Blas.h"

#include <gtest/gtest.h>

#include <random>
#include <tuple>
#include <vector>

namespace {

/// C += op(A) op(B) against a float64 triple loop, for every combination of
/// transposed operands, for shapes around BLAS's blocking, shapes split by
/// rows and by columns over the thread pool, empty ones, and padded rows
/// (leading dimensions larger than the row length).
TEST(BlasTest, MatmulAccumulatesLikeATripleLoop) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> value(-1, 1);
  for (auto [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{1, 1, 1},
                         {3, 5, 7},
                         {64, 256, 100},
                         {129, 47, 256},
                         {8, 520, 300},
                         {5, 0, 3},
                         {4, 6, 0}}) {
    for (int transA = 0; transA < 2; ++transA) {
      for (int transB = 0; transB < 2; ++transB) {
        // Stored shapes: A m x k (or k x m), B k x n (or n x k).
        int64_t aRows = transA ? k : m, aCols = transA ? m : k;
        int64_t bRows = transB ? n : k, bCols = transB ? k : n;
        int64_t lda = aCols + 2, ldb = bCols + 1, ldc = n + 3;
        std::vector<float> a(aRows * lda), b(bRows * ldb), c(m * ldc);
        for (float &v : a)
          v = value(rng);
        for (float &v : b)
          v = value(rng);
        for (float &v : c)
          v = value(rng);
        std::vector<float> before = c;
        sluice_rt_matmul_f32(m, n, k, reinterpret_cast<intptr_t>(a.data()), lda,
                             transA, reinterpret_cast<intptr_t>(b.data()), ldb,
                             transB, reinterpret_cast<intptr_t>(c.data()), ldc);
        auto opA = [&](int64_t i, int64_t t) {
          return transA ? a[t * lda + i] : a[i * lda + t];
        };
        auto opB = [&](int64_t t, int64_t j) {
          return transB ? b[j * ldb + t] : b[t * ldb + j];
        };
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < ldc; ++j) {
            if (j >= n) {
              // Padding between rows is never written.
              ASSERT_EQ(c[i * ldc + j], before[i * ldc + j]);
              continue;
            }
            double sum = before[i * ldc + j];
            for (int64_t t = 0; t < k; ++t)
              sum += double(opA(i, t)) * opB(t, j);
            ASSERT_NEAR(c[i * ldc + j], sum, 1e-4 * (1 + k))
                << m << "x" << n << "x" << k << " transA " << transA
                << " transB " << transB << " at " << i << "," << j;
          }
      }
    }
  }
}

} // namespace
