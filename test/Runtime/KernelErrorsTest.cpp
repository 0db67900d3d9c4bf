//===- KernelErrorsTest.cpp - checks that fail inside GPU kernels ---------===//

#include "sluice/Runtime/Program.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace {

int64_t *slotWords() {
  return reinterpret_cast<int64_t *>(sluice_rt_kernel_error_slot());
}

TEST(KernelErrorsTest, TheSlotStartsEmptyAndAnEmptySlotReportsNothing) {
  int64_t *words = slotWords();
  ASSERT_NE(words, nullptr);
  EXPECT_EQ(slotWords(), words); // one slot for the program
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(words[i], 0) << "word " << i;
  sluice_rt_check_kernel_errors(); // returns
  SUCCEED();
}

// What a kernel records, as the compare-and-swap and stores write it.
void recordAndCheck(int64_t kind, int64_t a, int64_t b, int64_t c, int64_t d) {
  int64_t *words = slotWords();
  words[0] = kind;
  words[1] = a;
  words[2] = b;
  words[3] = c;
  words[4] = d;
  sluice_rt_check_kernel_errors();
}

TEST(KernelErrorsTest, ARecordedLabelErrorIsReportedAsTheHostWould) {
  static const char where[] = "t.sl:4:2";
  EXPECT_EXIT(recordAndCheck(1, reinterpret_cast<intptr_t>(where), 7, 3, 0),
              testing::ExitedWithCode(1),
              "^sluice: error: t.sl:4:2: label 7 is outside \\[0, 3\\)\n$");
}

TEST(KernelErrorsTest, ARecordedCheckErrorIsReportedWithItsValues) {
  static const char where[] = "t.sl:9:1";
  static const char message[] = "index {0} is outside [0, {1})";
  EXPECT_EXIT(recordAndCheck(2, reinterpret_cast<intptr_t>(where),
                             reinterpret_cast<intptr_t>(message), 12, 5),
              testing::ExitedWithCode(1),
              "^sluice: error: t.sl:9:1: index 12 is outside \\[0, 5\\)\n$");
}

TEST(KernelErrorsTest, AnUnknownKindIsAnInternalError) {
  EXPECT_EXIT(recordAndCheck(9, 0, 0, 0, 0), testing::ExitedWithCode(70),
              "internal error: a GPU kernel reported a failed check of "
              "unknown kind 9");
}

} // namespace
