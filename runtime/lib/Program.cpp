//===- Program.cpp - program parameters and logs --------------------------===//

#include "sluice/Runtime/Program.h"
#include "sluice/Runtime/Checkpoint.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Logs.h"
#include "sluice/Runtime/Profile.h"

#include <cerrno>
#include <cfloat>
#include <cinttypes>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <malloc.h>

namespace sluice::rt {

static std::string formatValue(const Param &p) {
  char buffer[64];
  switch (p.kind) {
  case ParamKind::Int:
    std::snprintf(buffer, sizeof buffer, "%" PRId64, p.intValue);
    break;
  case ParamKind::Float:
  case ParamKind::Float32:
    std::snprintf(buffer, sizeof buffer, "%g", p.floatValue);
    break;
  case ParamKind::Bool:
    std::snprintf(buffer, sizeof buffer, "%s", p.intValue ? "true" : "false");
    break;
  case ParamKind::String:
    return "\"" + p.stringValue + "\"";
  case ParamKind::IntList: {
    std::string list = "[";
    for (size_t i = 0; i < p.listValue.size(); ++i)
      list += (i ? ", " : "") + std::to_string(p.listValue[i]);
    return list + "]";
  }
  }
  return buffer;
}

void ParamTable::declare(Param param) {
  param.defaultText = param.hasDefault ? formatValue(param) : "";
  if (Param *existing = lookup(param.name)) {
    *existing = std::move(param); // a program declares each name once
    return;
  }
  table.push_back(std::move(param));
}

Param *ParamTable::lookup(const std::string &name) {
  for (Param &p : table)
    if (p.name == name)
      return &p;
  return nullptr;
}

const Param *ParamTable::find(const std::string &name) const {
  for (const Param &p : table)
    if (p.name == name)
      return &p;
  return nullptr;
}

static const char *kindName(ParamKind kind) {
  switch (kind) {
  case ParamKind::Int:
    return "int";
  case ParamKind::Float:
  case ParamKind::Float32:
    return "float";
  case ParamKind::Bool:
    return "bool";
  case ParamKind::String:
    return "str";
  case ParamKind::IntList:
    return "[int]";
  }
  return "?";
}

static bool parseInt(const std::string &text, int64_t &value) {
  if (text.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  long long parsed = std::strtoll(text.c_str(), &end, 10);
  if (errno == ERANGE || *end != '\0')
    return false;
  value = parsed;
  return true;
}

/// `15,10`, `[15, 10]` or `[]`: integers separated by commas.
static bool parseIntList(std::string text, std::vector<int64_t> &values) {
  std::string compact;
  for (char c : text)
    if (c != ' ')
      compact += c;
  if (compact.size() >= 2 && compact.front() == '[' && compact.back() == ']')
    compact = compact.substr(1, compact.size() - 2);
  values.clear();
  size_t at = 0;
  while (at < compact.size()) {
    size_t comma = compact.find(',', at);
    std::string item = compact.substr(
        at, comma == std::string::npos ? std::string::npos : comma - at);
    int64_t value;
    if (!parseInt(item, value))
      return false;
    values.push_back(value);
    if (comma == std::string::npos)
      break;
    at = comma + 1;
    if (at == compact.size())
      return false; // a trailing comma
  }
  return true;
}

static bool parseFloat(const std::string &text, double &value) {
  if (text.empty())
    return false;
  char *end = nullptr;
  double parsed = std::strtod(text.c_str(), &end);
  if (*end != '\0' || std::isnan(parsed) || std::isinf(parsed))
    return false;
  value = parsed;
  return true;
}

static bool parseBool(const std::string &text, int64_t &value) {
  if (text == "true" || text == "1") {
    value = 1;
    return true;
  }
  if (text == "false" || text == "0") {
    value = 0;
    return true;
  }
  return false;
}

std::string ParamTable::parse(const std::vector<std::string> &args,
                              bool &helpRequested) {
  helpRequested = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "--help" || arg == "-h") {
      helpRequested = true;
      return "";
    }
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      return "unexpected argument '" + arg +
             "'; parameters are given as "
             "--name value (--help lists them)";
    }
    std::string name = arg.substr(2), text;
    bool inlineValue = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      text = name.substr(eq + 1);
      name = name.substr(0, eq);
      inlineValue = true;
    }
    Param *param = lookup(name);
    if (!param) {
      std::string known;
      for (const Param &p : table)
        known += (known.empty() ? "--" : ", --") + p.name;
      return "unknown parameter --" + name +
             (known.empty() ? "; this program has none"
                            : "; the parameters are " + known);
    }
    if (param->given)
      return "--" + name + " is given twice";
    if (!inlineValue) {
      bool nextIsValue =
          i + 1 < args.size() &&
          (args[i + 1].rfind("--", 0) != 0 || param->kind != ParamKind::Bool);
      if (param->kind == ParamKind::Bool && !nextIsValue) {
        text = "true"; // a bare `--flag`
      } else if (i + 1 < args.size()) {
        text = args[++i];
      } else {
        return "--" + name + " needs a value (" + kindName(param->kind) + ")";
      }
    }
    bool ok = false;
    switch (param->kind) {
    case ParamKind::Int:
      ok = parseInt(text, param->intValue);
      break;
    case ParamKind::Float:
      ok = parseFloat(text, param->floatValue);
      break;
    case ParamKind::Float32:
      ok = parseFloat(text, param->floatValue) &&
           std::fabs(param->floatValue) <= FLT_MAX;
      break;
    case ParamKind::Bool:
      ok = parseBool(text, param->intValue);
      break;
    case ParamKind::String:
      param->stringValue = text;
      ok = true;
      break;
    case ParamKind::IntList:
      ok = parseIntList(text, param->listValue);
      break;
    }
    if (!ok)
      return "--" + name + " expects " +
             (param->kind == ParamKind::Int ? "an integer"
              : param->kind == ParamKind::IntList
                  ? "integers separated by commas"
              : param->kind == ParamKind::Bool ? "true or false"
              : param->kind == ParamKind::Float
                  ? "a finite number"
                  : "a finite number that fits in f32") +
             ", not '" + text + "'";
    param->given = true;
  }
  for (const Param &p : table)
    if (!p.hasDefault && !p.given)
      return "missing required parameter --" + p.name + " (" +
             kindName(p.kind) + ")";
  return "";
}

std::string ParamTable::help(const std::string &program) const {
  std::string text = "USAGE: " + program + " [--name value]...\n";
  if (table.empty())
    return text + "\nThis program has no parameters.\n";
  text += "\nPARAMETERS:\n";
  for (const Param &p : table) {
    std::string line = "  --" + p.name + " <" + kindName(p.kind) + ">";
    line += p.hasDefault ? "  (default " + p.defaultText + ")" : "  (required)";
    if (!p.doc.empty())
      line += "  " + p.doc;
    text += line + "\n";
  }
  return text;
}

ParamTable &programParams() {
  static ParamTable table;
  return table;
}

std::string formatLog(const char *label, double value, bool isInteger) {
  char buffer[64];
  if (isInteger)
    std::snprintf(buffer, sizeof buffer, "%" PRId64, int64_t(value));
  else if (std::isnan(value))
    std::snprintf(buffer, sizeof buffer, "nan"); // not libc's "-nan"
  else
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return std::string(label) + ": " + buffer;
}

std::string substituteCheckValues(const char *message, int64_t a, int64_t b) {
  std::string text;
  for (const char *c = message; *c; ++c) {
    if (c[0] == '{' && (c[1] == '0' || c[1] == '1') && c[2] == '}') {
      text += std::to_string(c[1] == '0' ? a : b);
      c += 2;
      continue;
    }
    text += *c;
  }
  return text;
}

} // namespace sluice::rt

using namespace sluice::rt;

static const char *text(intptr_t address) {
  return reinterpret_cast<const char *>(address);
}

extern "C" void sluice_rt_declare_param(intptr_t name, int32_t kind,
                                        int32_t hasDefault, int64_t intDefault,
                                        double floatDefault, intptr_t doc) {
  Param p;
  p.name = text(name);
  p.kind = static_cast<ParamKind>(kind);
  p.hasDefault = hasDefault != 0;
  p.intValue = intDefault;
  p.floatValue = floatDefault;
  p.doc = doc ? text(doc) : "";
  programParams().declare(std::move(p));
}

/// A training loop allocates and frees the same large buffers every batch.
/// glibc serves large requests with fresh mmap()s and returns them on free,
/// so every batch paid page faults to zero the same memory again (9% of
/// examples/sage's profile); keeping freed memory in the heap for reuse
/// removes them.
static void keepFreedMemory() {
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
}

std::string sluice::rt::runtimeOptionsHelp(const ParamTable &params,
                                           bool checkpoints) {
  struct Option {
    const char *name, *line;
    bool shown;
  } options[] = {
      {"metrics",
       "  --metrics <path>  write each logged value to <path> as a line of "
       "JSON\n",
       true},
      {"progress",
       "  --progress <auto|bar|lines>  on a terminal (auto), values logged in "
       "loops update one status line; lines prints every value\n",
       true},
      {"checkpoint",
       "  --checkpoint <dir>  after every epoch, save the training state to "
       "<dir>/checkpoint.npz\n",
       checkpoints},
      {"resume", "  --resume <dir>  continue from <dir>/checkpoint.npz\n",
       checkpoints},
  };
  std::string lines;
  // A program parameter of the same name replaces the option.
  for (const Option &option : options)
    if (option.shown && !params.find(option.name))
      lines += option.line;
  return lines.empty() ? "" : "\nRUNTIME OPTIONS:\n" + lines;
}

std::string sluice::rt::runtimeOptionsHelp() {
  return runtimeOptionsHelp(programParams(),
                            programCheckpoints().isAvailable());
}

std::string sluice::rt::takeRuntimeOptions(std::vector<std::string> &args,
                                           LogSink &logs) {
  // First the options and their values, each at most once, then their
  // effects: a command line with a problem creates no file.
  std::vector<std::string> rest;
  std::vector<std::pair<std::string, std::string>> options;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i], name, value;
    bool hasValue = false;
    if (arg.rfind("--", 0) == 0) {
      size_t eq = arg.find('=');
      name =
          arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        hasValue = true;
      }
    }
    // A program parameter of the same name takes precedence.
    if ((name != "metrics" && name != "progress" && name != "checkpoint" &&
         name != "resume") ||
        programParams().find(name)) {
      rest.push_back(arg);
      continue;
    }
    for (const auto &option : options)
      if (option.first == name)
        return "--" + name + " is given twice";
    if (!hasValue) {
      if (i + 1 >= args.size())
        return "--" + name + " needs a value";
      value = args[++i];
    }
    options.emplace_back(name, value);
  }
  for (const auto &[name, value] : options) {
    if (name == "checkpoint" || name == "resume") {
      if (!programCheckpoints().isAvailable())
        return "--" + name +
               ": this program has no training loop to checkpoint (an "
               "outermost `for` over epochs with a loop over batches inside)";
      if (value.empty())
        return "--" + name + " needs a directory, not an empty path";
      if (name == "checkpoint") {
        // As --metrics: a place that cannot be written stops the program
        // before any work, not after the first epoch.
        Checkpointer check;
        check.setSaveDirectory(value);
        std::string error = check.checkSaveDirectory();
        if (!error.empty())
          return error;
      }
    } else if (name == "progress" && value != "auto" && value != "bar" &&
               value != "lines") {
      return "--progress expects auto, bar or lines, not '" + value + "'";
    }
  }
  for (const auto &[name, value] : options) {
    if (name == "checkpoint") {
      programCheckpoints().setSaveDirectory(value);
    } else if (name == "resume") {
      programCheckpoints().setResumeDirectory(value);
    } else if (name == "metrics") {
      std::string error = logs.openMetrics(value);
      if (!error.empty())
        return error;
    } else {
      logs.setProgress(value == "auto"  ? ProgressMode::Auto
                       : value == "bar" ? ProgressMode::Bar
                                        : ProgressMode::Lines);
    }
  }
  args = rest;
  return "";
}

extern "C" void sluice_rt_parse_args(int32_t argc, char **argv) {
  keepFreedMemory();
  // SLUICE_PROFILE's clock starts here.
  sluice::rt::profiling();
  std::vector<std::string> args;
  for (int32_t i = 1; i < argc; ++i)
    args.emplace_back(argv[i]);
  // The name the user typed, without the directory, as in other tools.
  std::string program = argc > 0 ? argv[0] : "program";
  size_t slash = program.rfind('/');
  if (slash != std::string::npos && slash + 1 < program.size())
    program = program.substr(slash + 1);
  bool help = false;
  std::string error = takeRuntimeOptions(args, programLogs());
  if (error.empty())
    error = programParams().parse(args, help);
  if (help) {
    std::fputs(programParams().help(program).c_str(), stdout);
    std::fputs(runtimeOptionsHelp().c_str(), stdout);
    std::exit(0);
  }
  if (!error.empty()) {
    std::fprintf(stderr, "%s: error: %s\n", program.c_str(), error.c_str());
    std::exit(2);
  }
}

static const Param &param(intptr_t name) {
  const Param *p = programParams().find(text(name));
  if (!p) {
    // The compiler declares every parameter it reads; this is a bug.
    std::fprintf(stderr,
                 "sluice: internal error: parameter '%s' was never "
                 "declared\n",
                 text(name));
    std::exit(70);
  }
  return *p;
}

extern "C" int64_t sluice_rt_param_i64(intptr_t name) {
  return param(name).intValue;
}

extern "C" double sluice_rt_param_f64(intptr_t name) {
  return param(name).floatValue;
}

extern "C" void sluice_rt_label_error(intptr_t where, int64_t label,
                                      int64_t columns) {
  std::fflush(stdout);
  std::fprintf(stderr,
               "sluice: error: %s: label %" PRId64 " is outside [0, %" PRId64
               ")\n",
               text(where), label, columns);
  std::exit(1);
}

extern "C" void sluice_rt_check_error(intptr_t where, intptr_t message,
                                      int64_t a, int64_t b) {
  std::string text = sluice::rt::substituteCheckValues(
      reinterpret_cast<const char *>(message), a, b);
  std::fflush(stdout);
  std::fprintf(stderr, "sluice: error: %s: %s\n",
               reinterpret_cast<const char *>(where), text.c_str());
  std::exit(1);
}

extern "C" void *sluice_rt_alloc(int64_t bytes, const char *where) {
  // A negative size is a size computation that overflowed.
  void *memory = bytes >= 0 ? std::malloc(size_t(bytes)) : nullptr;
  if (memory || bytes == 0)
    return memory;
  std::fflush(stdout);
  if (bytes < 0)
    std::fprintf(stderr,
                 "sluice: error: %s: out of memory: a buffer's size overflows "
                 "64 bits\n",
                 where ? where : "(unknown place)");
  else
    std::fprintf(stderr,
                 "sluice: error: %s: out of memory: cannot allocate %" PRId64
                 " bytes (%.1f GiB)\n",
                 where ? where : "(unknown place)", bytes,
                 double(bytes) / double(1 << 30));
  std::exit(1);
}

extern "C" void sluice_rt_select_error(intptr_t where, double delta,
                                       int64_t batches) {
  std::fflush(stdout);
  if (!(delta > 0.0 && delta <= 1.0))
    std::fprintf(stderr,
                 "sluice: error: %s: select hardest: delta %g is outside "
                 "(0, 1]\n",
                 text(where), delta);
  else
    std::fprintf(stderr,
                 "sluice: error: %s: select hardest: delta %g selects no "
                 "batch out of %" PRId64 "\n",
                 text(where), delta, batches);
  std::exit(1);
}

/// A parameter whose default arrives as text (`value`, or 0 when the flag is
/// required), declared from the C entry points below.
static Param textParam(intptr_t name, ParamKind kind, intptr_t value,
                       intptr_t doc) {
  Param p;
  p.name = text(name);
  p.kind = kind;
  p.hasDefault = value != 0;
  p.doc = doc ? text(doc) : "";
  return p;
}

extern "C" void sluice_rt_declare_str_param(intptr_t name, intptr_t value,
                                            intptr_t doc) {
  Param p = textParam(name, ParamKind::String, value, doc);
  p.stringValue = value ? text(value) : "";
  programParams().declare(std::move(p));
}

extern "C" void sluice_rt_declare_list_param(intptr_t name, intptr_t value,
                                             intptr_t doc) {
  Param p = textParam(name, ParamKind::IntList, value, doc);
  if (value && !parseIntList(text(value), p.listValue))
    fatalError("the default of [int] parameter --" + p.name +
               " is not a list of integers: '" + text(value) + "'");
  programParams().declare(std::move(p));
}

extern "C" int64_t sluice_rt_param_list_size(intptr_t name) {
  return int64_t(param(name).listValue.size());
}

extern "C" void sluice_rt_param_list_copy(intptr_t name, intptr_t out) {
  const std::vector<int64_t> &values = param(name).listValue;
  std::memcpy(reinterpret_cast<void *>(out), values.data(),
              values.size() * sizeof(int64_t));
}

extern "C" intptr_t sluice_rt_param_str(intptr_t name) {
  return reinterpret_cast<intptr_t>(param(name).stringValue.c_str());
}
