//===- Logs.cpp - where a program's logged values go ----------------------===//

#include "sluice/Runtime/Logs.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Profile.h"
#include "sluice/Runtime/Program.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace sluice::rt {

namespace {

/// How a value is written in JSON: integers in full, finite floats with 9
/// significant digits (enough to read back the same f32), non-finite values
/// as null (JSON has no NaN).
std::string jsonNumber(double value, bool isInteger) {
  char buffer[64];
  if (isInteger)
    std::snprintf(buffer, sizeof buffer, "%lld", (long long)value);
  else if (!std::isfinite(value))
    return "null";
  else
    std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

std::string jsonString(const char *text) {
  std::string quoted = "\"";
  for (const char *c = text; *c; ++c) {
    if (*c == '"' || *c == '\\')
      quoted += '\\';
    if (static_cast<unsigned char>(*c) < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", *c);
      quoted += escape;
      continue;
    }
    quoted += *c;
  }
  return quoted + "\"";
}

std::string duration(double seconds) {
  long long total = (long long)std::llround(seconds);
  char buffer[32];
  if (total >= 3600)
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", total / 3600,
                  total / 60 % 60, total % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld", total / 60, total % 60);
  return buffer;
}

} // namespace

LogSink::LogSink(FILE *out, bool terminal)
    : out(out), terminal(terminal), start(std::chrono::steady_clock::now()) {}

LogSink::~LogSink() { finish(); }

std::string LogSink::openMetrics(const std::string &path) {
  if (metrics)
    std::fclose(metrics);
  metricsPath = path;
  metrics = std::fopen(path.c_str(), "w");
  if (!metrics)
    return "cannot write the metrics file '" + path + "'";
  return "";
}

std::string LogSink::closeMetrics(bool written) {
  int writeErrno = errno;
  if (std::fclose(metrics) != 0 && written) {
    written = false;
    writeErrno = errno;
  }
  metrics = nullptr;
  if (written)
    return "";
  return "cannot write the metrics file '" + metricsPath +
         "': " + std::strerror(writeErrno);
}

bool LogSink::drawsStatus() const {
  return progress == ProgressMode::Bar ||
         (progress == ProgressMode::Auto && terminal);
}

std::string LogSink::statusLine(
    const std::vector<std::pair<std::string, std::string>> &values,
    const std::vector<int64_t> &positions, const std::vector<int64_t> &counts,
    double seconds) {
  std::string line = "[";
  double done = 0, scale = 1, total = 1;
  for (size_t i = 0; i < positions.size(); ++i) {
    line += (i ? " " : "") + std::to_string(positions[i] + 1) + "/" +
            std::to_string(counts[i]);
    scale /= double(counts[i] > 0 ? counts[i] : 1);
    done += double(positions[i]) * scale;
    total *= double(counts[i] > 0 ? counts[i] : 1);
  }
  done += scale; // the current innermost iteration is complete
  line += "]";
  for (const auto &[label, value] : values)
    line += " " + label + " " + value;
  if (seconds > 0 && done > 0) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f it/s", done * total / seconds);
    line += std::string(" | ") + rate;
    line += " | ETA " + duration(seconds * (1 - done) / done);
  }
  return line;
}

void LogSink::endStatus() {
  if (statusShown)
    std::fputc('\n', out);
  statusShown = false;
  statusValues.clear();
}

void LogSink::log(const char *label, double value, bool isInteger, int depth,
                  const int64_t *positions, const int64_t *counts) {
  auto now = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(now - start).count();
  std::string text = formatLog(label, value, isInteger);
  if (metrics) {
    std::string line = "{\"label\": " + jsonString(label) +
                       ", \"value\": " + jsonNumber(value, isInteger);
    if (depth > 0) {
      std::string at, of;
      for (int i = 0; i < depth; ++i) {
        at += (i ? ", " : "") + std::to_string(positions[i]);
        of += (i ? ", " : "") + std::to_string(counts[i]);
      }
      line += ", \"position\": [" + at + "], \"of\": [" + of + "]";
    }
    char time[32];
    std::snprintf(time, sizeof time, "%.3f", seconds);
    line += std::string(", \"seconds\": ") + time + "}\n";
    // Flushed as logged, so that a killed run keeps what it logged; a
    // failed write (a full disk) stops the program.
    if (std::fputs(line.c_str(), metrics) == EOF || std::fflush(metrics) != 0) {
      std::string error = closeMetrics(false);
      std::fflush(out);
      fatalError(error);
    }
  }
  // The status line shows the innermost loops' values; a value from an
  // outer loop (an epoch's accuracy) is a line below it, which keeps the
  // status of the loop that just ended on screen.
  deepest = std::max(deepest, depth);
  if (depth == 0 || depth < deepest || !drawsStatus()) {
    endStatus();
    std::fprintf(out, "%s\n", text.c_str());
    return;
  }
  std::string shown = text.substr(std::string(label).size() + 2);
  bool found = false;
  for (auto &[name, old] : statusValues)
    if (name == label) {
      old = shown;
      found = true;
    }
  if (!found)
    statusValues.emplace_back(label, shown);
  // Redraw at most ten times a second, and always at a loop's last step.
  bool last = positions[depth - 1] + 1 == counts[depth - 1];
  if (statusShown && !last && now - lastDraw < std::chrono::milliseconds(100))
    return;
  lastDraw = now;
  std::vector<int64_t> at(positions, positions + depth),
      of(counts, counts + depth);
  std::fprintf(out, "\r\x1b[K%s",
               statusLine(statusValues, at, of, seconds).c_str());
  std::fflush(out);
  statusShown = true;
}

std::string LogSink::finish() {
  endStatus();
  std::fflush(out);
  if (!metrics)
    return "";
  return closeMetrics(std::ferror(metrics) == 0);
}

LogSink &programLogs() {
  static LogSink *sink = [] {
    auto *made = new LogSink(stdout, isatty(fileno(stdout)) != 0);
    // Close the status line and the metrics file however main returns; a
    // metrics file that could not be written fails the run (exit cannot be
    // called again from an exit handler, so _exit, after flushing).
    std::atexit([] {
      std::string error = programLogs().finish();
      if (error.empty())
        return;
      std::fflush(stdout);
      std::fprintf(stderr, "sluice: error: %s\n", error.c_str());
      std::fflush(stderr);
      _exit(1);
    });
    return made;
  }();
  return *sink;
}

} // namespace sluice::rt

using namespace sluice::rt;

extern "C" void sluice_rt_log_i64(intptr_t label, int64_t value) {
  sluice::rt::ProfileScope profile(__func__);
  programLogs().log(reinterpret_cast<const char *>(label), double(value), true,
                    0, nullptr, nullptr);
}

extern "C" void sluice_rt_log_f64(intptr_t label, double value) {
  sluice::rt::ProfileScope profile(__func__);
  programLogs().log(reinterpret_cast<const char *>(label), value, false, 0,
                    nullptr, nullptr);
}

static void logIn(intptr_t label, double value, bool isInteger, int64_t depth,
                  int64_t i0, int64_t n0, int64_t i1, int64_t n1, int64_t i2,
                  int64_t n2) {
  int64_t positions[] = {i0, i1, i2}, counts[] = {n0, n1, n2};
  int used = int(depth < 0 ? 0 : depth > 3 ? 3 : depth);
  programLogs().log(reinterpret_cast<const char *>(label), value, isInteger,
                    used, positions, counts);
}

extern "C" void sluice_rt_log_f64_in(intptr_t label, double value,
                                     int64_t depth, int64_t i0, int64_t n0,
                                     int64_t i1, int64_t n1, int64_t i2,
                                     int64_t n2) {
  sluice::rt::ProfileScope profile(__func__);
  logIn(label, value, false, depth, i0, n0, i1, n1, i2, n2);
}

extern "C" void sluice_rt_log_i64_in(intptr_t label, int64_t value,
                                     int64_t depth, int64_t i0, int64_t n0,
                                     int64_t i1, int64_t n1, int64_t i2,
                                     int64_t n2) {
  sluice::rt::ProfileScope profile(__func__);
  logIn(label, double(value), true, depth, i0, n0, i1, n1, i2, n2);
}
