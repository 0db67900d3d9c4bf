//===- GatherTest.cpp - CPU row gathers against a brute-force loop --------===//

#include "sluice/Runtime/Gather.h"
#include "sluice/Runtime/Runtime.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

using namespace sluice::rt;

namespace {

/// The reference: one byte at a time, no cleverness.
std::vector<uint8_t> referenceGather(const std::vector<uint8_t> &table,
                                     int64_t rowBytes,
                                     const std::vector<int64_t> &indices) {
  std::vector<uint8_t> out(indices.size() * rowBytes);
  for (size_t i = 0; i < indices.size(); ++i)
    for (int64_t b = 0; b < rowBytes; ++b)
      out[i * rowBytes + b] = table[indices[i] * rowBytes + b];
  return out;
}

struct GatherCase {
  int64_t rowBytes;
  int64_t numRows;
  int64_t count;
};

void PrintTo(const GatherCase &c, std::ostream *os) {
  *os << c.count << " rows of " << c.rowBytes << " B from " << c.numRows;
}

class GatherRowsTest : public ::testing::TestWithParam<GatherCase> {};

TEST_P(GatherRowsTest, MatchesReferenceBitForBit) {
  const GatherCase &c = GetParam();
  std::mt19937_64 rng(c.rowBytes * 7919 + c.numRows * 31 + c.count);
  std::vector<uint8_t> table(c.numRows * c.rowBytes);
  for (uint8_t &byte : table)
    byte = static_cast<uint8_t>(rng());
  // Unsorted, with repeats: a few hot rows and uniform random ones.
  std::vector<int64_t> indices(c.count);
  for (int64_t &index : indices)
    index = (rng() % 4 == 0) ? int64_t(rng() % std::min<int64_t>(c.numRows, 3))
                             : int64_t(rng() % c.numRows);
  std::vector<uint8_t> out(c.count * c.rowBytes + 1, 0xAB);
  std::string error;
  ASSERT_TRUE(gatherRows(table.data(), c.numRows, c.rowBytes, indices.data(),
                         c.count, out.data(), error))
      << error;
  std::vector<uint8_t> expected = referenceGather(table, c.rowBytes, indices);
  EXPECT_EQ(std::memcmp(out.data(), expected.data(), expected.size()), 0);
  EXPECT_EQ(out.back(), 0xAB) << "wrote past the output";
}

INSTANTIATE_TEST_SUITE_P(
    RowSizes, GatherRowsTest,
    ::testing::Values(GatherCase{4, 1000, 5000}, GatherCase{8, 97, 300},
                      GatherCase{12, 500, 1000}, GatherCase{64, 1000, 4096},
                      GatherCase{100, 333, 1000}, GatherCase{128, 1000, 2000},
                      GatherCase{400, 2000, 20000}, GatherCase{512, 64, 700},
                      GatherCase{1000, 50, 300}, GatherCase{4096, 100, 1000},
                      GatherCase{400, 1, 17}, GatherCase{400, 10, 0},
                      GatherCase{4, 100000, 200000},
                      // Outputs past 8 MiB take the non-temporal-store path.
                      GatherCase{256, 50000, 40000},
                      GatherCase{400, 30000, 30000},
                      GatherCase{48, 300000, 200000}),
    [](const ::testing::TestParamInfo<GatherCase> &info) {
      return "row" + std::to_string(info.param.rowBytes) + "_rows" +
             std::to_string(info.param.numRows) + "_n" +
             std::to_string(info.param.count);
    });

/// Every setting a benchmark sweeps gives the same rows: no prefetch, a
/// prefetch distance past the chunk, ordinary stores for a large output.
TEST(GatherTuningTest, EverySettingMatchesReference) {
  std::mt19937_64 rng(5);
  const GatherTuning defaults = gatherTuning();
  for (int64_t rowBytes : {16, 400, 1024, 1000}) {
    // Outputs of 8 MiB and more take non-temporal stores by default.
    int64_t numRows = 4000, count = (9 << 20) / rowBytes;
    std::vector<uint8_t> table(numRows * rowBytes);
    for (uint8_t &byte : table)
      byte = static_cast<uint8_t>(rng());
    std::vector<int64_t> indices(count);
    for (int64_t &index : indices)
      index = int64_t(rng() % numRows);
    std::vector<uint8_t> expected = referenceGather(table, rowBytes, indices);
    for (GatherTuning tuning :
         {GatherTuning{0, 16, true}, GatherTuning{1, 1, false},
          GatherTuning{100000, 64, true}, GatherTuning{-4, -1, false},
          GatherTuning{8, 2, true},
          GatherTuning{GatherTuning::kByBytes, 16, true, 1 << 20},
          GatherTuning{GatherTuning::kByBytes, 4, false, 64}}) {
      gatherTuning() = tuning;
      std::vector<uint8_t> out(count * rowBytes + 1, 0xAB);
      std::string error;
      ASSERT_TRUE(gatherRows(table.data(), numRows, rowBytes, indices.data(),
                             count, out.data(), error))
          << error;
      EXPECT_EQ(std::memcmp(out.data(), expected.data(), expected.size()), 0)
          << rowBytes << " B rows, prefetch " << tuning.prefetchRows
          << " rows, " << tuning.prefetchLines << " lines, streaming "
          << tuning.streamingStores;
      EXPECT_EQ(out.back(), 0xAB) << "wrote past the output";
    }
  }
  gatherTuning() = defaults;
  EXPECT_EQ(defaults.prefetchRows, GatherTuning::kByBytes);
  EXPECT_EQ(defaults.prefetchBytes, 2048);
  EXPECT_EQ(defaults.prefetchLines, 16);
  EXPECT_TRUE(defaults.streamingStores);
}

/// By default the distance keeps 2 KiB of prefetched lines ahead: 32 lines
/// over the lines of a row (at most prefetchLines of them), 1 to 16 rows.
TEST(GatherTuningTest, DistanceKeepsPrefetchBytesAhead) {
  const GatherTuning defaults;
  for (auto [rowBytes, rows] : std::vector<std::pair<int64_t, int64_t>>{
           {4, 16},    // one line a row: 32 rows, capped at 16
           {128, 16},  // 2 lines: 16 rows
           {256, 8},   // 4 lines
           {400, 4},   // 7 lines (the last partial): 2048 / 448
           {512, 4},   // 8 lines
           {1024, 2},  // 16 lines
           {1000, 2},  // 16 lines, the last partial
           {4096, 2},  // 64 lines, of which prefetchLines (16) are asked for
           {65536, 2}, // likewise
       })
    EXPECT_EQ(prefetchDistance(defaults, rowBytes), rows) << rowBytes << " B";
  // Rows longer than the bytes ahead still prefetch the next row.
  GatherTuning small = defaults;
  small.prefetchBytes = 64;
  EXPECT_EQ(prefetchDistance(small, 1024), 1);
  small.prefetchBytes = 0;
  EXPECT_EQ(prefetchDistance(small, 1024), 0);
  // All 64 lines of a 4 KiB row counted: 2048 / 4096 rounds up to 1.
  GatherTuning allLines = defaults;
  allLines.prefetchLines = 64;
  EXPECT_EQ(prefetchDistance(allLines, 4096), 1);
  // An explicit row count wins; a negative one other than kByBytes is none.
  GatherTuning explicitRows = defaults;
  explicitRows.prefetchRows = 5;
  EXPECT_EQ(prefetchDistance(explicitRows, 4096), 5);
  explicitRows.prefetchRows = -4;
  EXPECT_EQ(prefetchDistance(explicitRows, 64), 0);
}

TEST(GatherRowsErrorTest, OutOfRangeIndexIsReportedWithPosition) {
  std::vector<float> table(10 * 4, 1.0f);
  std::vector<float> out(5 * 4);
  std::vector<int64_t> indices = {0, 9, 3, 10, 2};
  std::string error;
  EXPECT_FALSE(
      gatherRows(table.data(), 10, 16, indices.data(), 5, out.data(), error));
  EXPECT_EQ(error, "gather index 10 at position 3 is out of range for a "
                   "table of 10 rows");
}

TEST(GatherRowsErrorTest, FirstBadIndexWinsAcrossThreads) {
  std::vector<int64_t> indices(100000, 1);
  indices[70000] = -1;
  indices[90000] = 5;
  indices[40000] = 7;
  std::vector<int32_t> table(4, 0);
  std::vector<int32_t> out(indices.size());
  std::string error;
  EXPECT_FALSE(gatherRows(table.data(), 4, 4, indices.data(), indices.size(),
                          out.data(), error));
  EXPECT_EQ(error, "gather index 7 at position 40000 is out of range for a "
                   "table of 4 rows");
}

TEST(GatherRowsErrorTest, NegativeIndexAndCInterface) {
  std::vector<int32_t> table(4, 0);
  std::vector<int32_t> out(2);
  int64_t indices[] = {-3, 0};
  EXPECT_EQ(sluice_rt_gather_rows(table.data(), 4, 4, indices, 2, out.data()),
            -1);
  EXPECT_STREQ(sluice_rt_last_error(),
               "gather index -3 at position 0 is out of range for a table of "
               "4 rows");
  int64_t good[] = {3, 0};
  EXPECT_EQ(sluice_rt_gather_rows(table.data(), 4, 4, good, 2, out.data()), 0);
  EXPECT_STREQ(sluice_rt_last_error(), "");
}

} // namespace

namespace {

TEST(GatherRowsErrorTest, CompiledGatherStopsWithTheSourceLocation) {
  std::vector<float> table(4 * 2, 1.0f);
  std::vector<float> out(2 * 2);
  int64_t indices[] = {1, 4};
  const char *where = "pipe.sl:12:15";
  EXPECT_EXIT(sluice_rt_cpu_gather(reinterpret_cast<intptr_t>(table.data()), 4,
                                   8, reinterpret_cast<intptr_t>(indices), 2,
                                   reinterpret_cast<intptr_t>(out.data()),
                                   reinterpret_cast<intptr_t>(where)),
              ::testing::ExitedWithCode(1),
              "sluice: error: pipe.sl:12:15: gather index 4 at position 1 is "
              "out of range for a table of 4 rows");
  int64_t good[] = {3, 0};
  table[6] = 7.0f;
  sluice_rt_cpu_gather(reinterpret_cast<intptr_t>(table.data()), 4, 8,
                       reinterpret_cast<intptr_t>(good), 2,
                       reinterpret_cast<intptr_t>(out.data()),
                       reinterpret_cast<intptr_t>(where));
  EXPECT_EQ(out[0], 7.0f);
}

} // namespace
