//===- CublasTest.cpp - matrix products on the GPU through cuBLAS ---------===//

#include "sluice/Runtime/Cublas.h"

#include "FakeCudaDriver.h"
#include "MatmulReference.h"
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

/// An sgemm that fails with CUBLAS_STATUS_EXECUTION_FAILED (13).
int failingSgemm(void *, int, int, int, int, int, const float *, const float *,
                 int, const float *, int, const float *, float *, int) {
  return 13;
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
  expectMatmulLikeFloat64(sluice_rt_gpu_matmul_f32,
                          {{1, 1, 1}, {3, 5, 7}, {17, 4, 33}, {2, 9, 1}},
                          /*seed=*/3, /*tolerance=*/1e-5);
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
  CublasLibrary none{nullptr, nullptr};
  setCublasForTesting(&none);
  ::testing::internal::CaptureStderr();
  expectMatmulLikeFloat64(sluice_rt_gpu_matmul_f32,
                          {{13, 7, 21}, {1, 30, 2}, {5, 0, 3}}, /*seed=*/9,
                          /*tolerance=*/1e-5);
  ::testing::internal::GetCapturedStderr();
}

TEST_F(CublasTest, AProductWaitsForItsOwnStreamOnly) {
  static std::vector<CUstream> waited;
  static int contextWaits;
  waited.clear();
  contextWaits = 0;
  driver.cuStreamSynchronize = [](CUstream stream) -> CUresult {
    waited.push_back(stream);
    return CUDA_SUCCESS;
  };
  driver.cuCtxSynchronize = []() -> CUresult {
    ++contextWaits;
    return CUDA_SUCCESS;
  };
  std::vector<float> a(6, 1.0f), b(6, 1.0f), c(4, 0.0f);
  sluice_rt_gpu_matmul_f32(2, 2, 3, reinterpret_cast<intptr_t>(a.data()), 3, 0,
                           reinterpret_cast<intptr_t>(b.data()), 2, 0,
                           reinterpret_cast<intptr_t>(c.data()), 2);
  // The handle's stream is the default one: waited for once, the device
  // (with any overlapped gather) not at all.
  EXPECT_EQ(waited, std::vector<CUstream>{nullptr});
  EXPECT_EQ(contextWaits, 0);
  EXPECT_EQ(c, std::vector<float>(4, 3.0f));
}

TEST_F(CublasTest, EmptyProductsCallNothing) {
  // cuBLAS would fail: it is not called.
  CublasLibrary failing{&createHandle, &failingSgemm};
  setCublasForTesting(&failing);
  sluice_rt_gpu_matmul_f32(0, 4, 4, 0, 4, 0, 0, 4, 0, 0, 4);
  sluice_rt_gpu_matmul_f32(4, 0, 4, 0, 4, 0, 0, 4, 0, 0, 4);
}

TEST_F(CublasTest, AFailedProductIsAnErrorWithItsShape) {
  CublasLibrary failing{&createHandle, &failingSgemm};
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
