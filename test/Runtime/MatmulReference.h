//===- MatmulReference.h - matrix products against float64 ----*- C++ -*-===//

#ifndef SLUICE_TEST_RUNTIME_MATMULREFERENCE_H
#define SLUICE_TEST_RUNTIME_MATMULREFERENCE_H

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

namespace sluice::rt::testing {

using MatmulShape = std::tuple<int64_t, int64_t, int64_t>; // m, n, k

/// Calls `multiply` (sluice_rt_matmul_f32's signature: C += op(A) op(B),
/// row-major) on random operands for every shape and every combination of
/// transposed operands, with padded rows (leading dimensions larger than the
/// row length), and checks C against a float64 triple loop within
/// `tolerance * (1 + k)`, and that the padding between rows is never
/// written.
template <typename Multiply>
void expectMatmulLikeFloat64(Multiply multiply,
                             const std::vector<MatmulShape> &shapes,
                             unsigned seed, double tolerance) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> value(-1, 1);
  for (auto [m, n, k] : shapes) {
    for (int transA = 0; transA < 2; ++transA) {
      for (int transB = 0; transB < 2; ++transB) {
        // Stored shapes: A m x k (or k x m), B k x n (or n x k).
        int64_t aRows = transA ? k : m, aCols = transA ? m : k;
        int64_t bRows = transB ? n : k, bCols = transB ? k : n;
        int64_t lda = aCols + 2, ldb = bCols + 1, ldc = n + 3;
        std::vector<float> a(aRows * lda), b(bRows * ldb), c(m * ldc);
        for (auto *operand : {&a, &b, &c})
          for (float &v : *operand)
            v = value(rng);
        std::vector<float> before = c;
        multiply(m, n, k, reinterpret_cast<intptr_t>(a.data()), lda, transA,
                 reinterpret_cast<intptr_t>(b.data()), ldb, transB,
                 reinterpret_cast<intptr_t>(c.data()), ldc);
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < ldc; ++j) {
            if (j >= n) {
              ASSERT_EQ(c[i * ldc + j], before[i * ldc + j])
                  << "padding written at " << i << "," << j;
              continue;
            }
            double sum = before[i * ldc + j];
            for (int64_t t = 0; t < k; ++t)
              sum += double(transA ? a[t * lda + i] : a[i * lda + t]) *
                     (transB ? b[j * ldb + t] : b[t * ldb + j]);
            ASSERT_NEAR(c[i * ldc + j], sum, tolerance * (1 + k))
                << m << "x" << n << "x" << k << " transA " << transA
                << " transB " << transB << " at " << i << "," << j;
          }
      }
    }
  }
}

} // namespace sluice::rt::testing

#endif // SLUICE_TEST_RUNTIME_MATMULREFERENCE_H
