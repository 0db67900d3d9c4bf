//===- ParallelTest.cpp - the runtime's parallel loop ---------------------===//

#include "sluice/Runtime/Parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
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

TEST(ParallelTest, SluiceNumThreadsIsParsedStrictly) {
  std::string warning = "stale";
  EXPECT_EQ(threadsFromEnvironment(nullptr, 16, warning), 16);
  EXPECT_EQ(warning, "");
  for (auto [text, threads] : std::vector<std::pair<const char *, int>>{
           {"1", 1}, {"4", 4}, {"04", 4}, {"1024", 1024}, {"0001024", 1024}}) {
    warning = "stale";
    EXPECT_EQ(threadsFromEnvironment(text, 16, warning), threads) << text;
    EXPECT_EQ(warning, "") << text;
  }
  // Anything but a positive integer in plain digits: the default, said.
  for (const char *text : {"0", "000", "-1", "abc", "", "2x", "1e3", " 4", "4 ",
                           "+4", "4.0", "0x10"}) {
    EXPECT_EQ(threadsFromEnvironment(text, 16, warning), 16) << text;
    EXPECT_EQ(warning, std::string("SLUICE_NUM_THREADS=") + text +
                           " is not a positive integer; using 16 threads");
  }
  EXPECT_EQ(threadsFromEnvironment("two", 1, warning), 1);
  EXPECT_EQ(warning,
            "SLUICE_NUM_THREADS=two is not a positive integer; using 1 thread");
  // Too many: the limit, said.
  for (const char *text : {"1025", "100000", "99999999999999999999"}) {
    EXPECT_EQ(threadsFromEnvironment(text, 16, warning), 1024) << text;
    EXPECT_EQ(warning, std::string("SLUICE_NUM_THREADS=") + text +
                           " is more than 1024; using 1024 threads");
  }
}

TEST(ParallelTest, AnExceptionInAnyChunkReachesTheCaller) {
  // Thrown from a chunk that a worker thread may run (the last ones), or
  // the calling thread: either way the caller gets it, and not
  // std::terminate; the pool then runs the next job completely.
  for (int64_t failing : {int64_t(0), int64_t(997)}) {
    std::atomic<int64_t> ran{0};
    bool caught = false;
    try {
      parallelFor(1000, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
          if (i == failing)
            throw std::runtime_error("item " + std::to_string(i));
          ran.fetch_add(1);
        }
      });
    } catch (const std::runtime_error &error) {
      caught = true;
      EXPECT_EQ(std::string(error.what()), "item " + std::to_string(failing));
    }
    EXPECT_TRUE(caught);
    EXPECT_LT(ran.load(), 1000);
    std::atomic<int64_t> after{0};
    parallelFor(1000, 7, [&](int64_t begin, int64_t end) {
      after.fetch_add(end - begin);
    });
    EXPECT_EQ(after.load(), 1000);
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

/// What sluice_rt_parallel_for's body sees: the chunks it was called with
/// and the threads that ran them.
struct Recorder {
  std::mutex mutex;
  std::vector<std::pair<int64_t, int64_t>> chunks;
  std::vector<std::thread::id> threads;
  std::vector<std::atomic<int>> hits;
  explicit Recorder(int64_t count) : hits(count) {}

  static void body(void *context, int64_t begin, int64_t end) {
    auto *self = static_cast<Recorder *>(context);
    for (int64_t i = begin; i < end; ++i)
      self->hits[i].fetch_add(1);
    std::lock_guard<std::mutex> lock(self->mutex);
    self->chunks.emplace_back(begin, end);
    self->threads.push_back(std::this_thread::get_id());
  }
};

TEST(ParallelForTest, EveryIterationRunsExactlyOnce) {
  for (int64_t count : {1, 2, 9, 1000, 65537}) {
    for (int64_t cost : {int64_t(0), int64_t(1), int64_t(40), int64_t(100000),
                         int64_t(1) << 50}) {
      Recorder recorder(count);
      sluice_rt_parallel_for(count, cost, &Recorder::body, &recorder);
      for (int64_t i = 0; i < count; ++i)
        ASSERT_EQ(recorder.hits[i].load(), 1)
            << "count " << count << " cost " << cost << " iteration " << i;
    }
  }
}

TEST(ParallelForTest, SmallLoopsRunOnTheCallingThreadInOneCall) {
  // 100 iterations of 10 operations: far less than waking the pool costs.
  Recorder recorder(100);
  sluice_rt_parallel_for(100, 10, &Recorder::body, &recorder);
  ASSERT_EQ(recorder.chunks.size(), 1u);
  EXPECT_EQ(recorder.chunks[0], (std::pair<int64_t, int64_t>{0, 100}));
  EXPECT_EQ(recorder.threads[0], std::this_thread::get_id());
}

TEST(ParallelForTest, ChunksRepayTheirScheduling) {
  // A million cheap iterations: chunks are neither single iterations nor,
  // with more than one thread, the whole loop.
  const int64_t count = 1000000, cost = 4;
  Recorder recorder(count);
  sluice_rt_parallel_for(count, cost, &Recorder::body, &recorder);
  for (auto [begin, end] : recorder.chunks) {
    if (end != count) { // the last chunk may be short
      EXPECT_GE((end - begin) * cost, 32768) << begin << ".." << end;
    }
  }
  if (numThreads() > 1) {
    EXPECT_GT(recorder.chunks.size(), 1u);
  }
}

TEST(ParallelForTest, ExpensiveIterationsAreSpreadOneByOne) {
  // Eight iterations each worth far more than scheduling: with more than one
  // thread, each is a chunk of its own, so every thread can take one.
  Recorder recorder(8);
  sluice_rt_parallel_for(8, int64_t(1) << 40, &Recorder::body, &recorder);
  EXPECT_EQ(recorder.chunks.size(), numThreads() > 1 ? 8u : 1u);
}

TEST(ParallelForTest, NothingRunsForNoIterations) {
  Recorder recorder(0);
  sluice_rt_parallel_for(0, 100, &Recorder::body, &recorder);
  sluice_rt_parallel_for(-3, 100, &Recorder::body, &recorder);
  EXPECT_TRUE(recorder.chunks.empty());
}

} // namespace
