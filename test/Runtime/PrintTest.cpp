//===- PrintTest.cpp - printing for compiled programs ---------------------===//

#include "sluice/Runtime/Runtime.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

namespace {

TEST(PrintTest, PrintsValuesSeparatedBySpaces) {
  ::testing::internal::CaptureStdout();
  sluice_rt_print_i64(-42);
  sluice_rt_print_i64(INT64_MAX);
  sluice_rt_print_f64(0.1);
  sluice_rt_print_f64(-2.5);
  sluice_rt_print_newline();
  std::fflush(stdout);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(),
            "-42 9223372036854775807 0.10000000000000001 -2.5 \n");
}

TEST(PrintTest, DoublesReadBackExactly) {
  ::testing::internal::CaptureStdout();
  double value = 1.0 / 3.0;
  sluice_rt_print_f64(value);
  std::fflush(stdout);
  std::string text = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(std::strtod(text.c_str(), nullptr), value);
}

} // namespace
