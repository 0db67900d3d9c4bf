//===- ProfileTest.cpp - SLUICE_PROFILE's table ---------------------------===//

#include "sluice/Runtime/Profile.h"
#include "sluice/Runtime/UnifiedMemory.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

using namespace sluice::rt;

namespace {

/// Each test runs in its own process (one CTest entry per test), so the
/// environment can be set before the runtime first reads it.
void enableProfiling() {
  ::setenv("SLUICE_PROFILE", "1", 1);
  ASSERT_TRUE(profiling());
  resetProfile();
}

std::string printed() {
  char *text = nullptr;
  size_t size = 0;
  std::FILE *out = open_memstream(&text, &size);
  printProfile(out);
  std::fclose(out);
  std::string result(text, size);
  std::free(text);
  return result;
}

/// The row of `name`: its calls and total milliseconds.
std::pair<long long, double> row(const std::string &table,
                                 const std::string &name) {
  size_t at = table.find("\n" + name + " ");
  if (at == std::string::npos)
    return {-1, -1};
  long long calls = 0;
  double ms = 0;
  std::sscanf(table.c_str() + at + 1 + name.size(), "%lld %lf", &calls, &ms);
  return {calls, ms};
}

TEST(Profile, RowsCountCallsAndTimeLongestFirst) {
  enableProfiling();
  recordProfile("short", 0.001);
  recordProfile("long", 0.25);
  recordProfile("short", 0.002);
  std::string table = printed();
  EXPECT_EQ(row(table, "long"), std::make_pair(1LL, 250.0));
  auto [calls, ms] = row(table, "short");
  EXPECT_EQ(calls, 2);
  EXPECT_NEAR(ms, 3.0, 1e-9);
  EXPECT_LT(table.find("\nlong "), table.find("\nshort "));
  // The rest of the run is the last row.
  EXPECT_NE(table.find("(everything else: generated host code)"),
            std::string::npos);
  EXPECT_GT(table.find("(everything else"), table.find("\nshort "));
}

TEST(Profile, ScopeTimesItsLifetimeAndNestedScopesOnce) {
  enableProfiling();
  {
    ProfileScope outer("outer");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    {
      // A runtime function that calls another is counted once, under the
      // outer name, so that rows never overlap.
      ProfileScope inner("inner");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  std::string table = printed();
  auto [calls, ms] = row(table, "outer");
  EXPECT_EQ(calls, 1);
  EXPECT_GE(ms, 25.0);
  EXPECT_LT(ms, 1000.0);
  EXPECT_EQ(row(table, "inner").first, -1);
  // After the outer scope closed, the inner name records on its own.
  { ProfileScope inner("inner"); }
  EXPECT_EQ(row(printed(), "inner").first, 1);
}

/// The number after `prefix` in the table, or -1 when no line has it.
double numberAfter(const std::string &table, const std::string &prefix) {
  size_t at = table.find("\n" + prefix);
  if (at == std::string::npos)
    return -1;
  return std::strtod(table.c_str() + at + 1 + prefix.size(), nullptr);
}

TEST(Profile, EndsWithPeakMemory) {
  enableProfiling();
  recordProfile("work", 0.001);
  // 96 MiB touched: the peak resident set is at least that.
  constexpr size_t kTouched = size_t(96) << 20;
  char *block = static_cast<char *>(std::malloc(kTouched));
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, kTouched);
  // Keeps the compiler from dropping the block and its writes.
  asm volatile("" : : "r"(block) : "memory");
  std::string table = printed();
  std::free(block);
  EXPECT_GE(numberAfter(table, "peak memory: "), 96.0) << table;
  EXPECT_NE(table.find(" MiB resident on the host\n"), std::string::npos);
  // No buffer came from the unified heap yet: no line for it.
  EXPECT_EQ(numberAfter(table, "unified heap"), -1) << table;

  // 3 MiB and 1 MiB buffers at once, then 1 MiB freed: the peak in use is
  // 4 MiB, and all of it is still held (the freed block stays cached).
  void *three = _mlir_memref_to_llvm_alloc(size_t(3) << 20);
  void *one = _mlir_memref_to_llvm_alloc(size_t(1) << 20);
  _mlir_memref_to_llvm_free(one);
  table = printed();
  const std::string prefix =
      "unified heap (the buffers of a CUDA program): peak ";
  EXPECT_DOUBLE_EQ(numberAfter(table, prefix), 4.0) << table;
  EXPECT_NE(table.find(" MiB in use, 4.0 MiB held\n"), std::string::npos)
      << table;
  _mlir_memref_to_llvm_free(three);
}

TEST(Profile, OffMeansNoRowsAndNoTable) {
  ::unsetenv("SLUICE_PROFILE");
  ASSERT_FALSE(profiling());
  { ProfileScope scope("anything"); }
  EXPECT_EQ(printed(), "");
}

TEST(Profile, ZeroDisables) {
  ::setenv("SLUICE_PROFILE", "0", 1);
  EXPECT_FALSE(profiling());
}

} // namespace
