//===- LogsTest.cpp - where a program's logged values go ------------------===//

#include "sluice/Runtime/Logs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace sluice::rt;

namespace {

std::string contents(FILE *file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[4096];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0)
    text.append(buffer, got);
  return text;
}

/// The metrics file's lines, each without its time (`"seconds"` on), which
/// differs run to run.
std::vector<std::string> metricsLines(const char *path) {
  std::ifstream file(path);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(file, line))
    lines.push_back(line.substr(0, line.find(", \"seconds\"")));
  return lines;
}

TEST(LogsTest, StatusLineShowsPositionsValuesRateAndTimeLeft) {
  // Step 2 of 4 in epoch 1 of 2 is done: 1/2 + 2/8 = 3/4 of the work (6 of
  // 8 iterations) in 3 s, so 2 it/s and 1 s left.
  EXPECT_EQ(LogSink::statusLine({{"loss", "0.5"}, {"acc", "0.9"}}, {1, 1},
                                {2, 4}, 3.0),
            "[2/2 2/4] loss 0.5 acc 0.9 | 2.0 it/s | ETA 0:01");
  EXPECT_EQ(LogSink::statusLine({{"loss", "1"}}, {0}, {10}, 0.0),
            "[1/10] loss 1");
  // Hours once there are that many left.
  EXPECT_EQ(LogSink::statusLine({}, {0}, {10000}, 1.0),
            "[1/10000] | 1.0 it/s | ETA 2:46:39");
}

TEST(LogsTest, LinesWhenNotATerminal) {
  FILE *out = std::tmpfile();
  {
    LogSink sink(out, /*terminal=*/false);
    int64_t at[] = {0, 1}, of[] = {2, 3};
    sink.log("loss", 0.25, false, 2, at, of);
    sink.log("step", 7, true, 0, nullptr, nullptr);
  }
  EXPECT_EQ(contents(out), "loss: 0.25\nstep: 7\n");
  std::fclose(out);
}

TEST(LogsTest, StatusLineOnATerminalKeptAboveOuterValues) {
  FILE *out = std::tmpfile();
  {
    LogSink sink(out, /*terminal=*/true);
    int64_t of[] = {1, 2};
    int64_t first[] = {0, 0}, last[] = {0, 1};
    sink.log("loss", 2, false, 2, first, of);
    sink.log("loss", 1, false, 2, last, of);
    sink.log("accuracy", 0.5, false, 1, first, of);
  }
  std::string text = contents(out);
  EXPECT_EQ(text.rfind("\r\x1b[K[1/1 1/2] loss 2", 0), 0u) << text;
  EXPECT_NE(text.find("\r\x1b[K[1/1 2/2] loss 1 |"), std::string::npos) << text;
  // The status ends with a newline before the outer value's line.
  EXPECT_NE(text.find("ETA 0:00\naccuracy: 0.5\n"), std::string::npos) << text;
  std::fclose(out);
}

TEST(LogsTest, MetricsAreJsonLines) {
  char path[] = "/tmp/sluice-metrics-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  FILE *out = std::tmpfile();
  {
    LogSink sink(out, false);
    ASSERT_EQ(sink.openMetrics(path), "");
    int64_t at[] = {3}, of[] = {5};
    sink.log("loss", 0.125, false, 1, at, of);
    sink.log("q\"uote", 2, true, 0, nullptr, nullptr);
    sink.log("nan", std::nan(""), false, 0, nullptr, nullptr);
  }
  std::vector<std::string> lines = metricsLines(path);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "{\"label\": \"loss\", \"value\": 0.125, \"position\": "
                      "[3], \"of\": [5]");
  EXPECT_EQ(lines[1], "{\"label\": \"q\\\"uote\", \"value\": 2");
  EXPECT_EQ(lines[2], "{\"label\": \"nan\", \"value\": null");
  std::remove(path);
  std::fclose(out);
}

TEST(LogsTest, CEntryPointsInsideLoopsRecordTheirPositions) {
  // What generated code calls for a log inside loops: the innermost
  // `depth` positions (at most three) and counts, in order; the program's
  // sink writes lines to stdout, and the positions to the metrics file.
  char path[] = "/tmp/sluice-metrics-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  ASSERT_EQ(programLogs().openMetrics(path), "");
  const char loss[] = "loss", step[] = "step";
  ::testing::internal::CaptureStdout();
  sluice_rt_log_f64_in(reinterpret_cast<intptr_t>(loss), 0.5, 2, 1, 3, 4, 10, 0,
                       0);
  sluice_rt_log_i64_in(reinterpret_cast<intptr_t>(step), -7, 1, 9, 20, 0, 0, 0,
                       0);
  // A depth beyond three keeps three.
  sluice_rt_log_i64_in(reinterpret_cast<intptr_t>(step), 8, 5, 0, 1, 1, 2, 2,
                       3);
  ASSERT_EQ(programLogs().finish(), "");
  EXPECT_EQ(::testing::internal::GetCapturedStdout(),
            "loss: 0.5\nstep: -7\nstep: 8\n");
  std::vector<std::string> lines = metricsLines(path);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "{\"label\": \"loss\", \"value\": 0.5, "
                      "\"position\": [1, 4], \"of\": [3, 10]");
  EXPECT_EQ(lines[1], "{\"label\": \"step\", \"value\": -7, "
                      "\"position\": [9], \"of\": [20]");
  EXPECT_EQ(lines[2], "{\"label\": \"step\", \"value\": 8, "
                      "\"position\": [0, 1, 2], \"of\": [1, 2, 3]");
  std::remove(path);
}

TEST(LogsTest, UnwritableMetricsFileIsAnError) {
  LogSink sink(stdout, false);
  EXPECT_EQ(sink.openMetrics("/nonexistent/dir/m.jsonl"),
            "cannot write the metrics file '/nonexistent/dir/m.jsonl'");
}

void logToAFullDevice() {
  LogSink sink(stdout, false);
  if (sink.openMetrics("/dev/full") != "")
    std::exit(3); // /dev/full opens: only its writes fail
  sink.log("loss", 0.5, false, 0, nullptr, nullptr);
  std::exit(0);
}

TEST(LogsTest, FailedMetricsWritesStopTheProgram) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(logToAFullDevice(), ::testing::ExitedWithCode(1),
              "sluice: error: cannot write the metrics file '/dev/full': No "
              "space left on device");
}

TEST(LogsTest, FinishReportsNothingWhenAllWasWritten) {
  std::string path = ::testing::TempDir() + "/sluice-metrics-" +
                     std::to_string(getpid()) + ".jsonl";
  FILE *out = std::tmpfile();
  LogSink sink(out, false);
  ASSERT_EQ(sink.openMetrics(path), "");
  sink.log("loss", 0.5, false, 0, nullptr, nullptr);
  EXPECT_EQ(sink.finish(), "");
  EXPECT_EQ(sink.finish(), ""); // closed once
  std::remove(path.c_str());
  std::fclose(out);
}

} // namespace
