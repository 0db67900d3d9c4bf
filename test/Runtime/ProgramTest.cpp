//===- ProgramTest.cpp - program parameters and logs ----------------------===//

#include "sluice/Runtime/Program.h"
#include "sluice/Runtime/Checkpoint.h"
#include "sluice/Runtime/Logs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

using namespace sluice::rt;

namespace {

ParamTable example() {
  ParamTable table;
  table.declare({"epochs", ParamKind::Int, true, 5, 0, "passes over the data"});
  table.declare({"lr", ParamKind::Float, true, 0, 0.003, ""});
  table.declare({"verbose", ParamKind::Bool, true, 0, 0, ""});
  table.declare({"seed", ParamKind::Int, false, 0, 0, ""});
  return table;
}

std::string parse(ParamTable &table, std::vector<std::string> args) {
  bool help = false;
  return table.parse(args, help);
}

TEST(ProgramTest, DefaultsHoldUntilGiven) {
  ParamTable table = example();
  EXPECT_EQ(parse(table, {"--seed", "1"}), "");
  EXPECT_EQ(table.find("epochs")->intValue, 5);
  EXPECT_DOUBLE_EQ(table.find("lr")->floatValue, 0.003);
  EXPECT_EQ(table.find("verbose")->intValue, 0);
  EXPECT_EQ(table.find("seed")->intValue, 1);
}

TEST(ProgramTest, BothFlagForms) {
  ParamTable table = example();
  EXPECT_EQ(parse(table, {"--epochs=12", "--lr", "0.5", "--seed=-3"}), "");
  EXPECT_EQ(table.find("epochs")->intValue, 12);
  EXPECT_DOUBLE_EQ(table.find("lr")->floatValue, 0.5);
  EXPECT_EQ(table.find("seed")->intValue, -3);
}

TEST(ProgramTest, BoolFlags) {
  ParamTable a = example();
  EXPECT_EQ(parse(a, {"--verbose", "--seed", "0"}), "");
  EXPECT_EQ(a.find("verbose")->intValue, 1);
  ParamTable b = example();
  EXPECT_EQ(parse(b, {"--verbose", "false", "--seed", "0"}), "");
  EXPECT_EQ(b.find("verbose")->intValue, 0);
  ParamTable c = example();
  EXPECT_EQ(parse(c, {"--verbose=maybe", "--seed", "0"}),
            "--verbose expects true or false, not 'maybe'");
}

TEST(ProgramTest, BadValuesAreRejected) {
  ParamTable table = example();
  EXPECT_EQ(parse(table, {"--epochs", "five"}),
            "--epochs expects an integer, not 'five'");
  ParamTable overflow = example();
  EXPECT_EQ(parse(overflow, {"--epochs", "99999999999999999999"}),
            "--epochs expects an integer, not '99999999999999999999'");
  ParamTable nan = example();
  EXPECT_EQ(parse(nan, {"--lr", "nan"}),
            "--lr expects a finite number, not 'nan'");
  ParamTable huge;
  huge.declare({"rate", ParamKind::Float32, true, 0, 0.1, ""});
  EXPECT_EQ(parse(huge, {"--rate", "1e39"}),
            "--rate expects a finite number that fits in f32, not '1e39'");
  ParamTable wide;
  wide.declare({"rate", ParamKind::Float, true, 0, 0.1, ""});
  EXPECT_EQ(parse(wide, {"--rate", "1e39"}), "");
  EXPECT_DOUBLE_EQ(wide.find("rate")->floatValue, 1e39);
  ParamTable trailing = example();
  EXPECT_EQ(parse(trailing, {"--lr", "0.1x"}),
            "--lr expects a finite number, not '0.1x'");
}

TEST(ProgramTest, UnknownMissingAndRepeated) {
  ParamTable unknown = example();
  EXPECT_EQ(parse(unknown, {"--epoch", "3"}),
            "unknown parameter --epoch; the parameters are --epochs, --lr, "
            "--verbose, --seed");
  ParamTable missing = example();
  EXPECT_EQ(parse(missing, {}), "missing required parameter --seed (int)");
  ParamTable twice = example();
  EXPECT_EQ(parse(twice, {"--seed", "1", "--seed", "2"}),
            "--seed is given twice");
  ParamTable noValue = example();
  EXPECT_EQ(parse(noValue, {"--seed"}), "--seed needs a value (int)");
  ParamTable positional = example();
  EXPECT_EQ(parse(positional, {"data.npy"}),
            "unexpected argument 'data.npy'; parameters are given as --name "
            "value (--help lists them)");
  ParamTable none;
  EXPECT_EQ(parse(none, {"--x", "1"}),
            "unknown parameter --x; this program has none");
}

TEST(ProgramTest, Help) {
  ParamTable table = example();
  bool help = false;
  EXPECT_EQ(table.parse({"--epochs", "2", "--help"}, help), "");
  EXPECT_TRUE(help);
  EXPECT_EQ(table.help("./train"),
            "USAGE: ./train [--name value]...\n\nPARAMETERS:\n"
            "  --epochs <int>  (default 5)  passes over the data\n"
            "  --lr <float>  (default 0.003)\n"
            "  --verbose <bool>  (default false)\n"
            "  --seed <int>  (required)\n");
  ParamTable none;
  EXPECT_EQ(none.help("p"), "USAGE: p [--name value]...\n\nThis program has "
                            "no parameters.\n");
}

TEST(ProgramTest, StringParameters) {
  ParamTable table;
  table.declare({"data", ParamKind::String, true, 0, 0, "where the data is",
                 false, "", "builtin:blobs"});
  EXPECT_EQ(table.help("p"), "USAGE: p [--name value]...\n\nPARAMETERS:\n"
                             "  --data <str>  (default \"builtin:blobs\")  "
                             "where the data is\n");
  EXPECT_EQ(parse(table, {"--data=builtin:blobs?samples=10"}), "");
  EXPECT_EQ(table.find("data")->stringValue, "builtin:blobs?samples=10");
  const char name[] = "path";
  const char value[] = "a.npz";
  sluice_rt_declare_str_param(reinterpret_cast<intptr_t>(name),
                              reinterpret_cast<intptr_t>(value), 0);
  char arg0[] = "prog";
  char *argv[] = {arg0};
  sluice_rt_parse_args(1, argv);
  EXPECT_STREQ(reinterpret_cast<const char *>(
                   sluice_rt_param_str(reinterpret_cast<intptr_t>(name))),
               "a.npz");
}

TEST(ProgramTest, IntListParameters) {
  ParamTable table;
  Param fanout{"fanout", ParamKind::IntList, true, 0, 0, "per layer"};
  fanout.listValue = {15, 10};
  table.declare(fanout);
  EXPECT_EQ(table.help("p"), "USAGE: p [--name value]...\n\nPARAMETERS:\n"
                             "  --fanout <[int]>  (default [15, 10])  "
                             "per layer\n");
  // Both spellings, with and without brackets and spaces; `[]` is empty.
  for (auto [text, expected] :
       {std::pair<std::string, std::vector<int64_t>>{"5,3,-1", {5, 3, -1}},
        {"[4, 2]", {4, 2}},
        {"7", {7}},
        {"[]", {}}}) {
    ParamTable fresh;
    fresh.declare(fanout);
    EXPECT_EQ(parse(fresh, {"--fanout", text}), "") << text;
    EXPECT_EQ(fresh.find("fanout")->listValue, expected) << text;
  }
  for (const char *bad : {"5,,3", "5,", "x", "1.5,2", "[1, 2"}) {
    ParamTable fresh;
    fresh.declare(fanout);
    EXPECT_EQ(parse(fresh, {"--fanout", bad}),
              std::string("--fanout expects integers separated by commas, "
                          "not '") +
                  bad + "'");
  }
  // The C entry points: the default as text, then the length and values.
  const char name[] = "layers";
  const char value[] = "8,4";
  sluice_rt_declare_list_param(reinterpret_cast<intptr_t>(name),
                               reinterpret_cast<intptr_t>(value), 0);
  char arg0[] = "prog";
  char *argv[] = {arg0};
  sluice_rt_parse_args(1, argv);
  ASSERT_EQ(sluice_rt_param_list_size(reinterpret_cast<intptr_t>(name)), 2);
  int64_t out[2];
  sluice_rt_param_list_copy(reinterpret_cast<intptr_t>(name),
                            reinterpret_cast<intptr_t>(out));
  EXPECT_EQ(out[0], 8);
  EXPECT_EQ(out[1], 4);
}

TEST(ProgramTest, LogLines) {
  EXPECT_EQ(formatLog("loss", 0.693147180559945, false), "loss: 0.693147");
  EXPECT_EQ(formatLog("step", 42, true), "step: 42");
  EXPECT_EQ(formatLog("big", 1e-9, false), "big: 1e-09");
  // The mean of nothing (an empty split) is NaN, whatever its sign bit.
  EXPECT_EQ(formatLog("accuracy", -std::nan(""), false), "accuracy: nan");
  EXPECT_EQ(formatLog("inf", -HUGE_VAL, false), "inf: -inf");
  ::testing::internal::CaptureStdout();
  const char label[] = "accuracy";
  sluice_rt_log_f64(reinterpret_cast<intptr_t>(label), 0.875);
  sluice_rt_log_i64(reinterpret_cast<intptr_t>(label), -7);
  std::fflush(stdout);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(),
            "accuracy: 0.875\naccuracy: -7\n");
}

TEST(ProgramTest, CEntryPoints) {
  const char name[] = "batch", doc[] = "rows per step";
  sluice_rt_declare_param(reinterpret_cast<intptr_t>(name), 0, 1, 64, 0,
                          reinterpret_cast<intptr_t>(doc));
  char arg0[] = "prog", arg1[] = "--batch=128";
  char *argv[] = {arg0, arg1};
  sluice_rt_parse_args(2, argv);
  EXPECT_EQ(sluice_rt_param_i64(reinterpret_cast<intptr_t>(name)), 128);
}

void runWithBadFlag() {
  const char name[] = "steps";
  sluice_rt_declare_param(reinterpret_cast<intptr_t>(name), 0, 1, 1, 0, 0);
  char arg0[] = "prog", arg1[] = "--steps", arg2[] = "x";
  char *argv[] = {arg0, arg1, arg2};
  sluice_rt_parse_args(3, argv);
}

void runWithHelp() {
  char arg0[] = "prog", arg1[] = "--help";
  char *argv[] = {arg0, arg1};
  sluice_rt_parse_args(2, argv);
}

void runWithBadLabel() {
  const char where[] = "train.sl:12:5";
  sluice_rt_label_error(reinterpret_cast<intptr_t>(where), 10, 4);
}

/// takeRuntimeOptions with `args`, for a program with a checkpointed loop;
/// returns the error.
std::string runtimeOptionsError(std::vector<std::string> args) {
  programCheckpoints().markAvailable();
  LogSink logs(stdout, false);
  std::string error = takeRuntimeOptions(args, logs);
  programCheckpoints().setSaveDirectory("");
  programCheckpoints().setResumeDirectory("");
  return error;
}

TEST(ProgramTest, CheckpointDirectoriesAreCheckedBeforeAnyWork) {
  // As --metrics: a --checkpoint directory that cannot be written stops the
  // program when it parses its options, not after the first epoch.
  EXPECT_EQ(runtimeOptionsError({"--checkpoint", "/nonexistent/parent/run"}),
            "--checkpoint /nonexistent/parent/run: cannot create the "
            "directory: No such file or directory");
  EXPECT_EQ(runtimeOptionsError({"--checkpoint=/dev/null"}),
            "--checkpoint /dev/null: not a directory");
  EXPECT_EQ(runtimeOptionsError({"--checkpoint", ""}),
            "--checkpoint needs a directory, not an empty path");
  EXPECT_EQ(runtimeOptionsError({"--resume="}),
            "--resume needs a directory, not an empty path");
  EXPECT_EQ(runtimeOptionsError({"--metrics", "/nonexistent/dir/m.jsonl"}),
            "cannot write the metrics file '/nonexistent/dir/m.jsonl'");
  std::string dir =
      ::testing::TempDir() + "/sluice-program-" + std::to_string(getpid());
  EXPECT_EQ(runtimeOptionsError({"--checkpoint", dir}), "");
  EXPECT_NE(access(dir.c_str(), F_OK), 0) << "the check created " << dir;
}

TEST(ProgramTest, RuntimeOptionsGivenTwiceAreErrors) {
  // As parameters: the last one does not silently win, and no file is
  // created for either.
  std::string dir =
      ::testing::TempDir() + "/sluice-twice-" + std::to_string(getpid());
  std::string a = dir + "-a.jsonl", b = dir + "-b.jsonl";
  EXPECT_EQ(runtimeOptionsError({"--metrics", a, "--metrics", b}),
            "--metrics is given twice");
  EXPECT_EQ(runtimeOptionsError({"--metrics=" + a, "--metrics", b}),
            "--metrics is given twice");
  EXPECT_NE(access(a.c_str(), F_OK), 0) << "created " << a;
  EXPECT_NE(access(b.c_str(), F_OK), 0) << "created " << b;
  EXPECT_EQ(runtimeOptionsError({"--checkpoint", dir + "-1", "--epochs", "2",
                                 "--checkpoint=" + dir + "-2"}),
            "--checkpoint is given twice");
  EXPECT_EQ(runtimeOptionsError({"--resume", dir, "--resume", dir}),
            "--resume is given twice");
  EXPECT_EQ(runtimeOptionsError({"--progress", "bar", "--progress=lines"}),
            "--progress is given twice");
  // Each once is fine.
  EXPECT_EQ(runtimeOptionsError({"--progress", "bar", "--resume", dir,
                                 "--checkpoint", dir + "-1"}),
            "");
  // Nothing is applied before everything is checked: a bad later option
  // leaves no metrics file behind.
  EXPECT_EQ(runtimeOptionsError({"--metrics", a, "--progress", "fancy"}),
            "--progress expects auto, bar or lines, not 'fancy'");
  EXPECT_NE(access(a.c_str(), F_OK), 0) << "created " << a;
}

TEST(ProgramTest, HelpLeavesOutRuntimeOptionsThatParametersReplace) {
  const std::string metrics = "  --metrics <path>  write each logged value to "
                              "<path> as a line of JSON\n";
  const std::string progress =
      "  --progress <auto|bar|lines>  on a terminal (auto), values logged in "
      "loops update one status line; lines prints every value\n";
  const std::string checkpoint =
      "  --checkpoint <dir>  after every epoch, save the training state to "
      "<dir>/checkpoint.npz\n";
  const std::string resume =
      "  --resume <dir>  continue from <dir>/checkpoint.npz\n";
  const std::string heading = "\nRUNTIME OPTIONS:\n";
  ParamTable none;
  EXPECT_EQ(runtimeOptionsHelp(none, true),
            heading + metrics + progress + checkpoint + resume);
  EXPECT_EQ(runtimeOptionsHelp(none, false), heading + metrics + progress);
  ParamTable table = example();
  table.declare({"checkpoint", ParamKind::Int, true, 0, 0, ""});
  table.declare({"metrics", ParamKind::String, true, 0, 0, ""});
  EXPECT_EQ(runtimeOptionsHelp(table, true), heading + progress + resume);
  table.declare({"progress", ParamKind::Bool, true, 0, 0, ""});
  EXPECT_EQ(runtimeOptionsHelp(table, false), "");
  table.declare({"resume", ParamKind::Bool, true, 0, 0, ""});
  EXPECT_EQ(runtimeOptionsHelp(table, true), "");
}

TEST(ProgramTest, BadLabelStopsWithTheLocation) {
  // A forked child must not inherit the runtime's worker threads' state:
  // run the death test in a fresh process.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(runWithBadLabel(), ::testing::ExitedWithCode(1),
              "sluice: error: train.sl:12:5: label 10 is outside \\[0, 4\\)");
}

TEST(ProgramTest, CheckValuesAreSubstituted) {
  EXPECT_EQ(substituteCheckValues("index {0} is outside [0, {1})", -3, 7),
            "index -3 is outside [0, 7)");
  // Each marker as often as it appears; other braces stay.
  EXPECT_EQ(
      substituteCheckValues("{1}{0}{1} {2} {0", 1, -9223372036854775807LL - 1),
      "-92233720368547758081-9223372036854775808 {2} {0");
  EXPECT_EQ(substituteCheckValues("", 1, 2), "");
}

void runWithFailedCheck() {
  const char where[] = "train.sl:3:9";
  const char message[] = "integer division by zero: {0} / {1}";
  sluice_rt_check_error(reinterpret_cast<intptr_t>(where),
                        reinterpret_cast<intptr_t>(message), 7, 0);
}

TEST(ProgramTest, FailedCheckStopsWithTheLocation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(runWithFailedCheck(), ::testing::ExitedWithCode(1),
              "sluice: error: train.sl:3:9: integer division by zero: 7 / 0");
}

TEST(ProgramTest, BadFlagExitsWithStatus2) {
  // A forked child must not inherit the runtime's worker threads' state:
  // run the death test in a fresh process.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(runWithBadFlag(), ::testing::ExitedWithCode(2),
              "prog: error: --steps expects an integer, not 'x'");
}

TEST(ProgramTest, HelpExitsWithStatus0) {
  // A forked child must not inherit the runtime's worker threads' state:
  // run the death test in a fresh process.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(runWithHelp(), ::testing::ExitedWithCode(0), "");
}

} // namespace

TEST(ProgramTest, FloatParametersReadAsDoubles) {
  // f64 (kind 1) given on the command line, f32 (kind 3) left at its
  // default: both read back as doubles.
  const char rate[] = "learning_rate", scale[] = "scale";
  sluice_rt_declare_param(reinterpret_cast<intptr_t>(rate), 1, 1, 0, 0.25, 0);
  sluice_rt_declare_param(reinterpret_cast<intptr_t>(scale), 3, 1, 0, 0.5, 0);
  char arg0[] = "prog", arg1[] = "--learning_rate", arg2[] = "0.0625";
  char *argv[] = {arg0, arg1, arg2};
  sluice_rt_parse_args(3, argv);
  EXPECT_EQ(sluice_rt_param_f64(reinterpret_cast<intptr_t>(rate)), 0.0625);
  EXPECT_EQ(sluice_rt_param_f64(reinterpret_cast<intptr_t>(scale)), 0.5);
}

void runWithBadDelta() {
  const char where[] = "hard.sl:7:3";
  sluice_rt_select_error(reinterpret_cast<intptr_t>(where), 1.5, 40);
}

void runWithNoBatchSelected() {
  const char where[] = "hard.sl:7:3";
  sluice_rt_select_error(reinterpret_cast<intptr_t>(where), 0.01, 40);
}

TEST(ProgramTest, SelectErrorsSayWhichRuleFailed) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(runWithBadDelta(), ::testing::ExitedWithCode(1),
              "sluice: error: hard.sl:7:3: select hardest: delta 1.5 is "
              "outside \\(0, 1\\]");
  EXPECT_EXIT(runWithNoBatchSelected(), ::testing::ExitedWithCode(1),
              "sluice: error: hard.sl:7:3: select hardest: delta 0.01 selects "
              "no batch out of 40");
}

TEST(ProgramTest, AllocReturnsMemoryOrStopsWithTheSize) {
  void *block = sluice_rt_alloc(64, "p.sl:1:1");
  ASSERT_NE(block, nullptr);
  std::memset(block, 0x11, 64);
  std::free(block);
  // Zero bytes is not a failure, whatever malloc(0) gives.
  std::free(sluice_rt_alloc(0, "p.sl:1:1"));
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(sluice_rt_alloc(-8, "p.sl:2:4"), ::testing::ExitedWithCode(1),
              "sluice: error: p.sl:2:4: out of memory: a buffer's size "
              "overflows 64 bits");
  EXPECT_EXIT(sluice_rt_alloc(int64_t(1) << 62, "p.sl:3:4"),
              ::testing::ExitedWithCode(1),
              "sluice: error: p.sl:3:4: out of memory: cannot allocate "
              "4611686018427387904 bytes \\(4294967296.0 GiB\\)");
}
