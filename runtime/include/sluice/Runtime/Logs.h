//===- Logs.h - where a program's logged values go --------------*- C++ -*-===//
//
// Every `log` of a compiled program comes here with the position of each
// enclosing loop (outermost first: iteration index and trip count). Values
// go to three places:
// - standard output as `label: value` lines, the default and what scripts
//   read;
// - on a terminal, the values logged inside loops instead update one status
//   line (`[2/5 13/20] loss 0.4521 | 41.3 it/s | ETA 0:07`), which stays on
//   screen when a value from an outer loop (an epoch's accuracy) is printed
//   below it; `--progress lines` keeps plain lines on a terminal too, and
//   `--progress bar` draws the status line elsewhere;
// - with `--metrics PATH`, one JSON object per logged value, one per line:
//   {"label": "loss", "value": 0.4521, "position": [1, 12], "of": [5, 20],
//    "seconds": 3.25}.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_LOGS_H
#define SLUICE_RUNTIME_LOGS_H

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace sluice::rt {

enum class ProgressMode { Auto, Bar, Lines };

class LogSink {
public:
  /// `out` receives lines and the status line; `terminal` says whether it is
  /// one (Auto mode draws the status line only then).
  LogSink(FILE *out, bool terminal);
  ~LogSink();

  /// Opens (truncates) the metrics file; returns "" or what went wrong.
  std::string openMetrics(const std::string &path);
  void setProgress(ProgressMode mode) { progress = mode; }

  /// One logged value, inside `depth` loops (positions[i] of counts[i]).
  /// A metrics line that cannot be written (a full disk) stops the program
  /// (`sluice: error: cannot write the metrics file 'PATH': ...`, exit
  /// status 1).
  void log(const char *label, double value, bool isInteger, int depth,
           const int64_t *positions, const int64_t *counts);

  /// Ends the status line (the program is done) and closes the metrics file;
  /// returns "" or what went wrong writing it.
  std::string finish();

  /// The status line for the values logged at `positions` of `counts`
  /// after `seconds` (exposed for tests).
  static std::string
  statusLine(const std::vector<std::pair<std::string, std::string>> &values,
             const std::vector<int64_t> &positions,
             const std::vector<int64_t> &counts, double seconds);

private:
  bool drawsStatus() const;
  void endStatus();

  FILE *out;
  bool terminal;
  ProgressMode progress = ProgressMode::Auto;
  /// Closes the metrics file; returns "" or the error of a failed write
  /// (`written` false: one already failed, with errno set).
  std::string closeMetrics(bool written);
  FILE *metrics = nullptr;
  std::string metricsPath;
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point lastDraw;
  bool statusShown = false;
  int deepest = 0; // the most loops any value was logged inside
  std::vector<std::pair<std::string, std::string>> statusValues;
};

/// The process-wide sink the C entry points use (standard output).
LogSink &programLogs();

} // namespace sluice::rt

extern "C" {
/// Logs at the top level of the program (no enclosing loop).
void sluice_rt_log_i64(intptr_t label, int64_t value);
void sluice_rt_log_f64(intptr_t label, double value);
/// Logs inside up to three loops, the innermost last: position `iK` of
/// `nK` iterations for each of the `depth` innermost enclosing loops.
void sluice_rt_log_f64_in(intptr_t label, double value, int64_t depth,
                          int64_t i0, int64_t n0, int64_t i1, int64_t n1,
                          int64_t i2, int64_t n2);
void sluice_rt_log_i64_in(intptr_t label, int64_t value, int64_t depth,
                          int64_t i0, int64_t n0, int64_t i1, int64_t n1,
                          int64_t i2, int64_t n2);
}

#endif // SLUICE_RUNTIME_LOGS_H
