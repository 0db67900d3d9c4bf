//===- ParallelTest.cpp - the runtime's parallel loop ---------------------===//

#include "sluice/Runtime/Parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

using namespace sluice::rt;

namespace {

TEST(ParallelTest, EveryItemRunsExactlyOnce) {
  for (int64_t count : {1, 2, 7, 64, 1000, 100003}) {
    for (int64_t grain : {1, 3, 64, 5000}) {
      std::vector<std::atomic<int>> hits(count);
      parallelFor(count, grain, [&](int64_t begin, int64_t end) {
        ASSERT_LE(end - begin, grain);
        for (int64_t i = begin; i < end; ++i)
          hits[i].fetch_add(1);
      });
      for (int64_t i = 0; i < count; ++i)
        ASSERT_EQ(hits[i].load(), 1)
            << "count " << count << " grain " << grain << " item " << i;
    }
  }
}

TEST(ParallelTest, NothingRunsForNoItems) {
  bool called = false;
  parallelFor(0, 1, [&](int64_t, int64_t) { called = true; });
  parallelFor(-5, 1, [&](int64_t, int64_t) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ParallelTest, NestedLoopsRunSeriallyAndCompletely) {
  std::atomic<int64_t> total{0};
  parallelFor(16, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i)
      parallelFor(100, 10, [&](int64_t b, int64_t e) { total += e - b; });
  });
  EXPECT_EQ(total.load(), 1600);
}

TEST(ParallelTest, ManyJobsInARow) {
  std::atomic<int64_t> sum{0};
  for (int job = 0; job < 2000; ++job)
    parallelFor(8, 1, [&](int64_t begin, int64_t end) { sum += end - begin; });
  EXPECT_EQ(sum.load(), 16000);
  EXPECT_GE(numThreads(), 1);
}

} // namespace
