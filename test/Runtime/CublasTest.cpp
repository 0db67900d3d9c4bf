//===- CublasTest.cpp - matrix products on the GPU through cuBLAS ---------===//

#include "sluice/Runtime/Cublas.h"

#include "FakeCudaDriver.h"
#include "sluice/Runtime/CudaDriver.h"

#include <gtest/gtest.h>

#include <random>
#include <tuple>
#include <vector>

using namespace sluice::rt;
using namespace sluice::rt::testing;

namespace {

/// cublasSgemm_v2 as BLAS defines it, column-major: C = alpha op(A) op(B) +
/// beta C, op(A) m x k, op(B) k x n, C m x n, element (i, j) of a matrix with
/// leading dimension ld at [i + j * ld]. Written from the BLAS reference,
/// independently of the runtime's row-major translation.
int columnMajorSgemm(void *, int transA, int transB, int m, int n, int k,
                     const float *alpha, const float *a, int lda,
                     const float *b, int ldb, const float *beta, float *c,
                     int ldc) {
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double sum = 0;
      for (int l = 0; l < k; ++l) {
        float x = transA == kCublasTrans ? a[l + i * lda] : a[i + l * lda];
        float y = transB == kCublasTrans ? b[j + l * ldb] : b[l + j * ldb];
        sum += double(x) * y;
      }
      c[i + j * ldc] = float(*alpha * sum + *beta * c[i + j * ldc]);
    }
  return 0;
}

int createHandle(void **handle) {
  static int token;
  *handle = &token;
  return 0;
}

class CublasTest : public ::testing::Test {
protected:
  void SetUp() override {
    setCudaDriverForTesting(&driver);
    fakeCalls() = FakeCalls();
    setCublasForTesting(&cublas);
  }
  void TearDown() override {
    setCublasForTesting(nullptr);
    setCudaDriverForTesting(nullptr);
  }
  CudaDriver driver = makeFakeCudaDriver();
  CublasLibrary cublas{&createHandle, &columnMajorSgemm};
};

/// Row-major C += op(A) op(B) through the column-major library, against a
/// float64 triple loop, for every combination of transposes, padded rows
/// and non-square shapes.
TEST_F(CublasTest, RowMajorProductsThroughColumnMajorCublas) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> value(-1, 1);
  for (auto [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{1, 1, 1},
                         {3, 5, 7},
                         {17, 4, 33},
                         {2, 9, 1}}) {
    for (int transA = 0; transA < 2; ++transA) {
      for (int transB = 0; transB < 2; ++transB) {
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
        sluice_rt_gpu_matmul_f32(
            m, n, k, reinterpret_cast<intptr_t>(a.data()), lda, transA,
            reinterpret_cast<intptr_t>(b.data()), ldb, transB,
            reinterpret_cast<intptr_t>(c.data()), ldc);
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < ldc; ++j) {
            if (j >= n) {
              ASSERT_EQ(c[i * ldc + j], before[i * ldc + j]);
              continue;
            }
            double sum = before[i * ldc + j];
            for (int64_t t = 0; t < k; ++t)
              sum += double(transA ? a[t * lda + i] : a[i * lda + t]) *
                     (transB ? b[j * ldb + t] : b[t * ldb + j]);
            ASSERT_NEAR(c[i * ldc + j], sum, 1e-5 * (1 + k))
                << m << "x" << n << "x" << k << " transA " << transA
                << " transB " << transB << " at " << i << "," << j;
          }
      }
    }
  }
}

TEST_F(CublasTest, WithoutCublasTheCpuComputesItAfterAWarning) {
  CublasLibrary none{nullptr, nullptr};
  setCublasForTesting(&none);
  std::vector<float> a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c(4, 0.5f);
  ::testing::internal::CaptureStderr();
  sluice_rt_gpu_matmul_f32(2, 2, 2, reinterpret_cast<intptr_t>(a.data()), 2, 0,
                           reinterpret_cast<intptr_t>(b.data()), 2, 0,
                           reinterpret_cast<intptr_t>(c.data()), 2);
  std::string warning = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(c, (std::vector<float>{19.5f, 22.5f, 43.5f, 50.5f}));
  EXPECT_NE(warning.find("sluice: warning: cuBLAS could not be loaded"),
            std::string::npos)
      << warning;
  EXPECT_NE(warning.find("matrix products run on the CPU"), std::string::npos);
}

TEST_F(CublasTest, TheCpuFallbackMatchesAFloat64Loop) {
  // Every transpose combination, padded rows, against float64.
  CublasLibrary none{nullptr, nullptr};
  setCublasForTesting(&none);
  ::testing::internal::CaptureStderr();
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> value(-1, 1);
  const int64_t m = 13, n = 7, k = 21;
  for (int transA = 0; transA < 2; ++transA)
    for (int transB = 0; transB < 2; ++transB) {
      int64_t lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2,
              ldc = n + 3;
      std::vector<float> a((transA ? k : m) * lda), b((transB ? n : k) * ldb),
          c(m * ldc);
      for (auto *v : {&a, &b, &c})
        for (float &x : *v)
          x = value(rng);
      std::vector<float> before = c;
      sluice_rt_gpu_matmul_f32(
          m, n, k, reinterpret_cast<intptr_t>(a.data()), lda, transA,
          reinterpret_cast<intptr_t>(b.data()), ldb, transB,
          reinterpret_cast<intptr_t>(c.data()), ldc);
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          double sum = before[i * ldc + j];
          for (int64_t t = 0; t < k; ++t)
            sum += double(transA ? a[t * lda + i] : a[i * lda + t]) *
                   (transB ? b[j * ldb + t] : b[t * ldb + j]);
          ASSERT_NEAR(c[i * ldc + j], sum, 1e-5 * (1 + k));
        }
    }
  ::testing::internal::GetCapturedStderr();
}

TEST_F(CublasTest, EmptyProductsCallNothing) {
  CublasLibrary failing{&createHandle,
                        [](void *, int, int, int, int, int, const float *,
                           const float *, int, const float *, int,
                           const float *, float *, int) { return 13; }};
  setCublasForTesting(&failing);
  sluice_rt_gpu_matmul_f32(0, 4, 4, 0, 4, 0, 0, 4, 0, 0, 4);
  sluice_rt_gpu_matmul_f32(4, 0, 4, 0, 4, 0, 0, 4, 0, 0, 4);
}

TEST_F(CublasTest, AFailedProductIsAnErrorWithItsShape) {
  CublasLibrary failing{&createHandle,
                        [](void *, int, int, int, int, int, const float *,
                           const float *, int, const float *, int,
                           const float *, float *, int) { return 13; }};
  setCublasForTesting(&failing);
  std::vector<float> a(6), b(6), c(4);
  EXPECT_EXIT(
      sluice_rt_gpu_matmul_f32(2, 2, 3, reinterpret_cast<intptr_t>(a.data()), 3,
                               0, reinterpret_cast<intptr_t>(b.data()), 2, 0,
                               reinterpret_cast<intptr_t>(c.data()), 2),
      ::testing::ExitedWithCode(1),
      "cublasSgemm failed with status 13 \\(2 x 2 x 3\\)");
}

TEST(CublasLoadTest, MissingLibraryIsExplained) {
  if (tryCublas())
    GTEST_SKIP() << "this machine has cuBLAS";
  std::string whyNot;
  EXPECT_EQ(tryCublas(&whyNot), nullptr);
  EXPECT_NE(whyNot.find("cuBLAS could not be loaded"), std::string::npos);
  EXPECT_NE(whyNot.find("SLUICE_CUBLAS"), std::string::npos) << whyNot;
}

} // namespace
