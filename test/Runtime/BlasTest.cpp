//===- BlasTest.cpp - matrix products through OpenBLAS --------------------===//

#include "sluice/Runtime/Blas.h"

#include "MatmulReference.h"

#include <gtest/gtest.h>

namespace {

/// C += op(A) op(B) against a float64 triple loop, for every combination of
/// transposed operands, for shapes around BLAS's blocking, shapes split by
/// rows and by columns over the thread pool, empty ones, and padded rows
/// (leading dimensions larger than the row length).
TEST(BlasTest, MatmulAccumulatesLikeATripleLoop) {
  sluice::rt::testing::expectMatmulLikeFloat64(sluice_rt_matmul_f32,
                                               {{1, 1, 1},
                                                {3, 5, 7},
                                                {64, 256, 100},
                                                {129, 47, 256},
                                                {8, 520, 300},
                                                {5, 0, 3},
                                                {4, 6, 0}},
                                               /*seed=*/1, /*tolerance=*/1e-4);
}

} // namespace
