//===- BlasTest.cpp - matrix products through OpenBLAS --------------------===//

#include "sluice/Runtime/Blas.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace {

/// C += A B against a float64 triple loop, for shapes around BLAS's blocking
/// and with padded rows (leading dimensions larger than the row length).
TEST(BlasTest, MatmulAccumulatesLikeATripleLoop) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> value(-1, 1);
  for (auto [m, n, k] : {std::tuple{1, 1, 1},
                         {3, 5, 7},
                         {64, 256, 100},
                         {129, 47, 256},
                         {5, 0, 3},
                         {4, 6, 0}}) {
    int64_t lda = k + 2, ldb = n + 1, ldc = n + 3;
    std::vector<float> a(m * lda), b(k * ldb), c(m * ldc);
    for (float &v : a)
      v = value(rng);
    for (float &v : b)
      v = value(rng);
    for (float &v : c)
      v = value(rng);
    std::vector<float> before = c;
    sluice_rt_matmul_f32(m, n, k, reinterpret_cast<intptr_t>(a.data()), lda,
                         reinterpret_cast<intptr_t>(b.data()), ldb,
                         reinterpret_cast<intptr_t>(c.data()), ldc);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < ldc; ++j) {
        if (j >= n) {
          // Padding between rows is never written.
          ASSERT_EQ(c[i * ldc + j], before[i * ldc + j]);
          continue;
        }
        double sum = before[i * ldc + j];
        for (int64_t t = 0; t < k; ++t)
          sum += double(a[i * lda + t]) * b[t * ldb + j];
        ASSERT_NEAR(c[i * ldc + j], sum, 1e-4 * (1 + k))
            << m << "x" << n << "x" << k << " at " << i << "," << j;
      }
  }
}

} // namespace
