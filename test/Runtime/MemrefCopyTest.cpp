//===- MemrefCopyTest.cpp - memref.copy between strided buffers -----------===//

#include "sluice/Runtime/MemrefCopy.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

/// A rank-2 descriptor as the LLVM lowering lays it out.
struct Descriptor2 {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
};

TEST(MemrefCopyTest, CopiesAStridedViewIntoADenseBuffer) {
  // Source: rows 1..3, columns 2..5 of a 5 x 8 matrix (offset 10, strides 8
  // and 1); target: a dense 3 x 4 buffer.
  std::vector<float> big(40), small(12, -1.0f);
  for (int i = 0; i < 40; ++i)
    big[i] = float(i);
  Descriptor2 from{big.data(), big.data(), 10, {3, 4}, {8, 1}};
  Descriptor2 to{small.data(), small.data(), 0, {3, 4}, {4, 1}};
  SluiceUnrankedMemRef source{2, &from}, target{2, &to};
  memrefCopy(sizeof(float), &source, &target);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c)
      EXPECT_EQ(small[r * 4 + c], big[(1 + r) * 8 + 2 + c]);
}

TEST(MemrefCopyTest, CopiesAColumnWithAnInnerStride) {
  // Column 1 of a 4 x 3 matrix (stride 3) into a dense vector, as a 4 x 1
  // view with inner stride 3 against 1.
  std::vector<float> m(12), column(4);
  for (int i = 0; i < 12; ++i)
    m[i] = float(i);
  Descriptor2 from{m.data(), m.data(), 1, {4, 1}, {3, 3}};
  Descriptor2 to{column.data(), column.data(), 0, {4, 1}, {1, 1}};
  SluiceUnrankedMemRef source{2, &from}, target{2, &to};
  memrefCopy(sizeof(float), &source, &target);
  EXPECT_EQ(column, (std::vector<float>{1, 4, 7, 10}));
}

TEST(MemrefCopyTest, EmptyAndRankZeroCopies) {
  float a = 3, b = 0;
  struct {
    float *allocated, *aligned;
    int64_t offset;
  } from{&a, &a, 0}, to{&b, &b, 0};
  SluiceUnrankedMemRef source{0, &from}, target{0, &to};
  memrefCopy(sizeof(float), &source, &target);
  EXPECT_EQ(b, 3);
  std::vector<float> x(4, 1), y(4, 2);
  Descriptor2 empty{x.data(), x.data(), 0, {0, 4}, {4, 1}};
  Descriptor2 into{y.data(), y.data(), 0, {0, 4}, {4, 1}};
  SluiceUnrankedMemRef s{2, &empty}, t{2, &into};
  memrefCopy(sizeof(float), &s, &t);
  EXPECT_EQ(y, std::vector<float>(4, 2)); // nothing written
}

} // namespace
