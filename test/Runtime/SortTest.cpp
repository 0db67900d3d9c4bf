//===- SortTest.cpp - sort_unique against a brute-force reference ---------===//

#include "sluice/Runtime/Runtime.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

namespace {

TEST(SortTest, KnownCase) {
  std::vector<int64_t> indices = {5, 3, 5, 9, 3, -1};
  std::vector<int64_t> unique(indices.size(), 77), inverse(indices.size());
  int64_t n = sluice_rt_sort_unique(reinterpret_cast<intptr_t>(indices.data()),
                                    indices.size(),
                                    reinterpret_cast<intptr_t>(unique.data()),
                                    reinterpret_cast<intptr_t>(inverse.data()));
  ASSERT_EQ(n, 4);
  EXPECT_EQ(std::vector<int64_t>(unique.begin(), unique.begin() + 4),
            (std::vector<int64_t>{-1, 3, 5, 9}));
  EXPECT_EQ(inverse, (std::vector<int64_t>{2, 1, 2, 3, 1, 0}));
}

TEST(SortTest, MatchesASetForRandomIndices) {
  std::mt19937_64 rng(5);
  // Ranges that need one, two and several radix digits, and one with
  // negative values (the comparison-sort fallback).
  for (int64_t range : {int64_t(500), int64_t(1) << 20, int64_t(1) << 40})
    for (int64_t count : {0, 1, 2, 100, 10000, 300000}) {
      std::vector<int64_t> indices(count);
      for (int64_t &index : indices)
        index = int64_t(rng() % range);
      if (range == 500 && count > 2)
        indices[count / 2] = -7;
      std::vector<int64_t> unique(count), inverse(count);
      int64_t n = sluice_rt_sort_unique(
          reinterpret_cast<intptr_t>(indices.data()), count,
          reinterpret_cast<intptr_t>(unique.data()),
          reinterpret_cast<intptr_t>(inverse.data()));
      std::set<int64_t> reference(indices.begin(), indices.end());
      ASSERT_EQ(n, int64_t(reference.size()));
      EXPECT_TRUE(
          std::equal(reference.begin(), reference.end(), unique.begin()));
      for (int64_t i = 0; i < count; ++i)
        ASSERT_EQ(unique[inverse[i]], indices[i]);
    }
}

} // namespace
