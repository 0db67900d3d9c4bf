//===- Program.h - program parameters and logs ------------------*- C++ -*-===//
//
// A compiled Sluice program's `param`s become command-line flags. The
// generated `main` declares each parameter (name, type, default, doc) and
// then parses argv: `--name value` or `--name=value`, `--flag` for a bool,
// `--help` to list the parameters. Any bad flag stops the program before it
// does any work.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_PROGRAM_H
#define SLUICE_RUNTIME_PROGRAM_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::rt {

/// Float is an f64 parameter, Float32 an f32 one (whose values must fit).
enum class ParamKind : int32_t {
  Int = 0,
  Float = 1,
  Bool = 2,
  Float32 = 3,
  String = 4, // str and path
  IntList = 5 // [int]: `15,10` or `[15, 10]` on the command line
};

struct Param {
  std::string name;
  ParamKind kind = ParamKind::Int;
  bool hasDefault = false;
  int64_t intValue = 0;  // Int and Bool
  double floatValue = 0; // Float
  std::string doc;
  bool given = false;
  std::string defaultText;        // set by declare(), for --help
  std::string stringValue;        // String
  std::vector<int64_t> listValue; // IntList
};

/// The parameters of one program and their values.
class ParamTable {
public:
  void declare(Param param);

  /// Parses `args` (without the program name). Returns "" on success, else
  /// the message of the first problem. Sets `helpRequested` for `--help`.
  std::string parse(const std::vector<std::string> &args, bool &helpRequested);

  /// The `--help` text.
  std::string help(const std::string &program) const;

  const Param *find(const std::string &name) const;
  const std::vector<Param> &params() const { return table; }

private:
  Param *lookup(const std::string &name);
  std::vector<Param> table;
};

/// The process-wide table the C entry points use.
ParamTable &programParams();

class LogSink;

/// Removes the runtime's own options (`--metrics PATH`, `--progress MODE`,
/// `--checkpoint DIR`, `--resume DIR`) from `args` and applies them to
/// `logs` and programCheckpoints(), unless the program has a parameter of
/// that name. Returns "" or the first problem (an option given twice,
/// `--metrics is given twice`; a metrics file or a checkpoint directory that
/// cannot be written, an empty directory path); options are applied only
/// once all of them have been checked.
std::string takeRuntimeOptions(std::vector<std::string> &args, LogSink &logs);

/// The `--help` section that lists the runtime's options, for a program
/// with `params` (a parameter of an option's name replaces the option, which
/// is then left out) that has a checkpointed loop or not (else --checkpoint
/// and --resume are left out); "" when it lists none.
std::string runtimeOptionsHelp(const ParamTable &params, bool checkpoints);
/// The same for this program (programParams(), programCheckpoints()).
std::string runtimeOptionsHelp();

/// How a logged value is written: `label: value`, floats with 6 significant
/// digits.
std::string formatLog(const char *label, double value, bool isInteger);

/// `message` with each `{0}` replaced by `a` and each `{1}` by `b` (what
/// sluice_rt_check_error prints).
std::string substituteCheckValues(const char *message, int64_t a, int64_t b);

} // namespace sluice::rt

extern "C" {
/// Declares a parameter (kind: 0 int, 1 f64, 2 bool, 3 f32). `name` and `doc`
/// are NUL-terminated and outlive the program.
void sluice_rt_declare_param(intptr_t name, int32_t kind, int32_t hasDefault,
                             int64_t intDefault, double floatDefault,
                             intptr_t doc);
/// Declares a str or path parameter (`value` NUL-terminated, or 0 when the
/// flag is required).
void sluice_rt_declare_str_param(intptr_t name, intptr_t value, intptr_t doc);
/// Declares an [int] parameter (`value`: its default as `15,10`,
/// NUL-terminated, or 0 when the flag is required).
void sluice_rt_declare_list_param(intptr_t name, intptr_t value, intptr_t doc);
/// An [int] parameter's length, and its values copied into `out`.
int64_t sluice_rt_param_list_size(intptr_t name);
void sluice_rt_param_list_copy(intptr_t name, intptr_t out);
/// A str parameter's value, NUL-terminated, alive for the whole program.
intptr_t sluice_rt_param_str(intptr_t name);
/// Parses the command line against the declared parameters. `--help` prints
/// them and exits 0; a bad flag prints `<program>: error: ...` and exits 2.
void sluice_rt_parse_args(int32_t argc, char **argv);
/// A parameter's value (ints and bools, 0 or 1), or as a double.
int64_t sluice_rt_param_i64(intptr_t name);
double sluice_rt_param_f64(intptr_t name);
/// Stops the program: `sluice: error: <where>: label L is outside [0, C)`,
/// exit status 1 (sluice.take_along's bad label; `where` NUL-terminated).
void sluice_rt_label_error(intptr_t where, int64_t label, int64_t columns);
/// Stops the program: `sluice: error: <where>: select hardest: delta D ...`,
/// exit status 1 (delta outside (0, 1], or floor(delta * N) = 0).
void sluice_rt_select_error(intptr_t where, double delta, int64_t batches);
/// Stops the program: `sluice: error: <where>: <message>`, exit status 1,
/// with `{0}` and `{1}` in the message replaced by `a` and `b` (a run-time
/// check of generated code failed: a zero divisor, an index out of range, a
/// negative size; both strings NUL-terminated).
void sluice_rt_check_error(intptr_t where, intptr_t message, int64_t a,
                           int64_t b);
/// Where a GPU kernel records a failed run-time check it cannot report
/// itself (sluice-convert-parallel-loops-to-gpu): six 64-bit words of CUDA
/// managed memory (host memory without a driver). The first failing thread
/// swaps word 0 from 0 to the report's kind (1: sluice_rt_label_error, 2:
/// sluice_rt_check_error) and writes the call's arguments to words 1-4.
intptr_t sluice_rt_kernel_error_slot();
/// Called right after such a kernel finishes: makes the call the slot
/// records, if any (which stops the program), else returns.
void sluice_rt_check_kernel_errors();
/// `malloc(bytes)` for a CPU program's buffers (sluice-check-host-
/// allocations): where it gets nothing for a non-zero size, stops the
/// program: `sluice: error: <where>: out of memory: cannot allocate N bytes
/// (G GiB)`, exit status 1.
void *sluice_rt_alloc(int64_t bytes, const char *where);
/// Writes `label: value` on its own line of stdout.
}

#endif // SLUICE_RUNTIME_PROGRAM_H
