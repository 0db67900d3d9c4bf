//===- SampleAheadTest.cpp - sampling the next batch in the background ----===//

#include "sluice/Runtime/Graphs.h"
#include "sluice/Runtime/Parallel.h"
#include "sluice/Runtime/Profile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

using namespace sluice::rt;

namespace {

Graph &testGraph() {
  static Graph *graph = [] {
    auto *g = new Graph;
    EXPECT_EQ(loadGraph("builtin:sbm?nodes=2000&degree=12&seed=4", *g), "");
    return g;
  }();
  return *graph;
}

SampleArguments arguments(std::vector<int64_t> seeds,
                          std::vector<int64_t> fanouts, uint64_t seed) {
  return SampleArguments(&testGraph(), seeds.data(), int64_t(seeds.size()), 1,
                         fanouts.data(), int64_t(fanouts.size()), 1, seed);
}

void expectSameBlocks(const Blocks &a, const Blocks &b) {
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_EQ(a.seeds, b.seeds);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t l = 0; l < a.layers.size(); ++l) {
    EXPECT_EQ(a.layers[l].numSrc, b.layers[l].numSrc);
    EXPECT_EQ(a.layers[l].numDst, b.layers[l].numDst);
    EXPECT_EQ(a.layers[l].offsets, b.layers[l].offsets);
    EXPECT_EQ(a.layers[l].sources, b.layers[l].sources);
  }
}

TEST(SampleAheadTest, ArgumentsAreCopiedDenseAndComparedInFull) {
  int64_t strided[] = {7, -1, 8, -1, 9, -1}, fanouts[] = {3, 0, 2, 0};
  SampleArguments a(&testGraph(), strided, 3, 2, fanouts, 2, 2, 5);
  EXPECT_EQ(a.seeds, (std::vector<int64_t>{7, 8, 9}));
  EXPECT_EQ(a.fanouts, (std::vector<int64_t>{3, 2}));
  EXPECT_TRUE(a == arguments({7, 8, 9}, {3, 2}, 5));
  EXPECT_FALSE(a == arguments({7, 8, 10}, {3, 2}, 5));
  EXPECT_FALSE(a == arguments({7, 8, 9}, {3, 3}, 5));
  EXPECT_FALSE(a == arguments({7, 8, 9}, {3, 2}, 6));
  EXPECT_FALSE(a == arguments({7, 8}, {3, 2}, 5));
  Graph other;
  SampleArguments elsewhere(&other, strided, 3, 2, fanouts, 2, 2, 5);
  EXPECT_FALSE(a == elsewhere);
}

TEST(SampleAheadTest, ATakenSampleIsTheOneSamplingWouldGive) {
  std::vector<int64_t> seeds;
  for (int64_t i = 0; i < 300; ++i)
    seeds.push_back((i * 37) % 2000);
  SampleAheadCounts before = sampleAheadCounts();
  startSamplingAhead("t.sl:1:1", arguments(seeds, {10, 5}, 42));
  // Meanwhile the program's thread samples too (the two take turns on the
  // graph's scratch).
  Blocks meanwhile, direct, taken;
  ASSERT_EQ(sampleOrError(arguments({1, 2, 3}, {4}, 1), meanwhile), "");
  ASSERT_EQ(sampleOrError(arguments(seeds, {10, 5}, 42), direct), "");
  std::string error = "unset";
  ASSERT_TRUE(takeSampledAhead("t.sl:1:1", arguments(seeds, {10, 5}, 42), taken,
                               error));
  EXPECT_EQ(error, "");
  expectSameBlocks(taken, direct);
  SampleAheadCounts after = sampleAheadCounts();
  EXPECT_EQ(after.started, before.started + 1);
  EXPECT_EQ(after.taken, before.taken + 1);
  // Taken once: nothing is left at the site.
  Blocks again;
  EXPECT_FALSE(takeSampledAhead("t.sl:1:1", arguments(seeds, {10, 5}, 42),
                                again, error));
}

TEST(SampleAheadTest, DifferentArgumentsOrAnotherSiteAreNotTaken) {
  startSamplingAhead("t.sl:2:1", arguments({10, 11, 12}, {3}, 7));
  Blocks blocks;
  std::string error;
  // Another site has nothing pending.
  EXPECT_FALSE(takeSampledAhead("t.sl:9:9", arguments({10, 11, 12}, {3}, 7),
                                blocks, error));
  // The right site with another seed: dropped, and the caller samples.
  EXPECT_FALSE(takeSampledAhead("t.sl:2:1", arguments({10, 11, 12}, {3}, 8),
                                blocks, error));
  EXPECT_FALSE(takeSampledAhead("t.sl:2:1", arguments({10, 11, 12}, {3}, 7),
                                blocks, error));
  EXPECT_TRUE(blocks.layers.empty());
}

TEST(SampleAheadTest, ANewStartAtASiteReplacesTheOldOne) {
  startSamplingAhead("t.sl:3:1", arguments({20, 21}, {2}, 1));
  startSamplingAhead("t.sl:3:1", arguments({30, 31}, {2}, 1));
  Blocks blocks, direct;
  std::string error;
  EXPECT_FALSE(
      takeSampledAhead("t.sl:3:1", arguments({20, 21}, {2}, 1), blocks, error));
  startSamplingAhead("t.sl:3:1", arguments({30, 31}, {2}, 1));
  ASSERT_TRUE(
      takeSampledAhead("t.sl:3:1", arguments({30, 31}, {2}, 1), blocks, error));
  ASSERT_EQ(sampleOrError(arguments({30, 31}, {2}, 1), direct), "");
  expectSameBlocks(blocks, direct);
}

TEST(SampleAheadTest, AnErrorWaitsForTheSampleThatTakesIt) {
  // A seed outside the graph: sampling ahead does not stop the program, the
  // sample that takes the result gets the error sampling would have given.
  startSamplingAhead("t.sl:4:1", arguments({1, 2000}, {2}, 3));
  Blocks blocks, direct;
  std::string error;
  ASSERT_TRUE(takeSampledAhead("t.sl:4:1", arguments({1, 2000}, {2}, 3), blocks,
                               error));
  EXPECT_EQ(error, "seed node 2000 at position 1 is outside the graph's 2000 "
                   "nodes");
  EXPECT_EQ(sampleOrError(arguments({1, 2000}, {2}, 3), direct), error);
}

TEST(SampleAheadTest, TheCEntryPointsTakeWhatRanAhead) {
  intptr_t graph = reinterpret_cast<intptr_t>(&testGraph());
  int64_t seeds[] = {100, 200, 300, 400}, fanouts[] = {5, 5};
  const char *where = "t.sl:5:1";
  auto sample = [&] {
    return sluice_rt_sample(graph, reinterpret_cast<intptr_t>(seeds), 4, 1,
                            reinterpret_cast<intptr_t>(fanouts), 2, 1, 77,
                            reinterpret_cast<intptr_t>(where));
  };
  intptr_t direct = sample();
  SampleAheadCounts before = sampleAheadCounts();
  // The caller may reuse its buffers at once: the arguments are copied.
  int64_t reused[] = {100, 200, 300, 400};
  sluice_rt_sample_ahead(graph, reinterpret_cast<intptr_t>(reused), 4, 1,
                         reinterpret_cast<intptr_t>(fanouts), 2, 1, 77,
                         reinterpret_cast<intptr_t>(where));
  std::fill(std::begin(reused), std::end(reused), int64_t(-5));
  intptr_t taken = sample();
  EXPECT_EQ(sampleAheadCounts().taken, before.taken + 1);
  expectSameBlocks(*reinterpret_cast<const Blocks *>(taken),
                   *reinterpret_cast<const Blocks *>(direct));
  sluice_rt_blocks_free(taken);
  sluice_rt_blocks_free(direct);
}

void exitWhileSamplingAhead() {
  std::vector<int64_t> seeds;
  for (int64_t i = 0; i < 2000; ++i)
    seeds.push_back(i);
  startSamplingAhead("t.sl:6:1", arguments(seeds, {-1, -1, -1}, 1));
  std::exit(3);
}

void exitInsideAParallelBodyWhileSamplingAhead() {
  std::vector<int64_t> seeds;
  for (int64_t i = 0; i < 2000; ++i)
    seeds.push_back(i);
  startSamplingAhead("t.sl:7:1", arguments(seeds, {-1, -1, -1}, 2));
  // As a run-time error in a parallel loop does: the sample's own parallel
  // loops wait behind this one, which never returns.
  // (Two chunks, so that the pool runs them; the pause lets the sample
  // reach the pool first.)
  parallelFor(2, 1, [](int64_t begin, int64_t) {
    if (begin != 0)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::exit(4);
  });
}

TEST(SampleAheadTest, AProgramMayExitWhileASampleRunsAhead) {
  // Nothing the sample uses is torn down under it, and nothing waits for it.
  EXPECT_EXIT(exitWhileSamplingAhead(), testing::ExitedWithCode(3), "");
  EXPECT_EXIT(exitInsideAParallelBodyWhileSamplingAhead(),
              testing::ExitedWithCode(4), "");
}

TEST(SampleAheadTest, TheProfileDoesNotCountBackgroundTimeAsTheProgramsOwn) {
  resetProfile();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  recordProfile("sluice_rt_sample", 0.001);
  recordProfile(
      std::string("sluice_rt_sample_ahead") + kBackgroundProfileSuffix, 1000.0);
  char buffer[4096] = {};
  std::FILE *out = fmemopen(buffer, sizeof(buffer) - 1, "w");
  ASSERT_NE(out, nullptr);
  printProfile(out);
  std::fclose(out);
  std::string text = buffer;
  EXPECT_NE(text.find("sluice_rt_sample_ahead [background]"),
            std::string::npos);
  // The wall time (50 ms) is far under the background row's 1000 s; were
  // that row counted, nothing would be left for generated code (0.00). Here
  // 49 ms are.
  size_t rest = text.find("(everything else: generated host code)");
  ASSERT_NE(rest, std::string::npos);
  EXPECT_EQ(text.find(" 0.00 ", rest), std::string::npos) << text;
  resetProfile();
}

} // namespace
