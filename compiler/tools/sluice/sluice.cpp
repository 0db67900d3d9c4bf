//===- sluice.cpp - the Sluice compiler driver ----------------------------===//
//
// Parses the command line and calls the driver library; no compilation logic
// lives here.
//
//===----------------------------------------------------------------------===//

#include "sluice/Compiler/Driver.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cstdlib>
#include <string>
#include <vector>

using namespace sluice;

static const char *const kHelp =
    R"(sluice: the Sluice compiler for ML training pipelines

USAGE: sluice <command> [options] <input>

COMMANDS:
  check   parse and verify the input; print nothing on success
  emit    compile to a stage and print it (--stage=<stage>)
  build   compile to a native executable (-o <file>)
  run     build into a cache and run it: sluice run <input> [-- <args>]

INPUT:
  a Sluice program (.sl), or MLIR (.mlir) at the `sluice` stage or later

STAGES, in order:
  ast, sluice, lowered, llvm-mlir, llvm, ptx, obj

OPTIONS:
  --stage=<stage>           the stage `emit` stops at (default: sluice)
  -o <file>                 output file (emit: default stdout; build: default
                            the input's name without extension; never the
                            input itself)
  --target=cpu|cuda         every machine (default), or NVIDIA GPUs through
                            LLVM's NVPTX back end
  -O0, -O1, -O2, -O3        optimization level (default -O2)
  -I <dir>                  add a directory to the module search path
  --gpu-chip=<sm_XX>        GPU architecture for --target=cuda (default sm_90;
                            any that LLVM's NVPTX back end knows, e.g. sm_80,
                            sm_90a)
  --gpu-binary=ptx|fatbin   how kernels are embedded: PTX, which the CUDA
                            driver compiles at the program's first run on a
                            machine (default; nothing from CUDA needed to
                            build), or a fatbin with machine code for
                            --gpu-chip plus PTX for other GPUs (needs the CUDA
                            toolkit's ptxas and fatbinary to build)
  --cuda-path=<dir>         the CUDA toolkit for --gpu-binary=fatbin (default:
                            $CUDA_HOME, $CUDA_ROOT, $CUDA_PATH, ptxas on
                            $PATH, /usr/local/cuda)
  --gather-max-threads=<n>  most threads a zero-copy gather kernel may occupy
                            (default 10240)
  --no-overlap              do not overlap the next batch's gather with this
                            batch's compute (--target=cuda)
  --sample-ahead            sample the next batch's blocks in the background
                            while this batch trains (default for cuda, where
                            the host waits for the GPU; on the CPU the
                            training uses every core)
  --no-sample-ahead         do not (default for cpu)
  --sort-gather-indices     gather host-table rows in sorted, distinct order
                            and scatter them back (off by default: see
                            docs/performance.md for what it costs)
  --dense-sort-range=<n>    sort gather indices with a bitmap (parallel
                            loops, GPU kernels for cuda) while the largest is
                            below n times their count, else with the
                            runtime's host sort; 0: always the host sort
                            (default 32 for cpu, 1024 for cuda tensor
                            programs; buffer-level cuda programs, whose ids
                            must then be readable by the GPU, only when
                            given)
  --print-ir-after-all      print the IR after every pass, to stderr
  --print-ir-after=<pass>   print the IR after the pass with that name
  --time-passes             report the time each pass takes, to stderr
  --mlir-print-debuginfo    print each op's source location (file:line:col)
  --version                 print the version and exit
  --help                    print this help and exit
)";

namespace {

struct CommandLine {
  std::string command;
  std::string input;
  std::string output;
  Stage stage = Stage::Sluice;
  bool stageGiven = false;
  DriverOptions options;
  std::vector<std::string> programArgs; // after `--`, for `run`
  std::string flagsForCache;
  std::vector<std::string> cudaOnlyFlags; // given, for a warning on the CPU
};

int usageError(const llvm::Twine &message) {
  llvm::errs() << "sluice: error: " << message
               << "\n(run 'sluice --help' for usage)\n";
  return 2;
}

bool parseInteger(llvm::StringRef text, int64_t &value) {
  return !text.getAsInteger(10, value);
}

/// Returns -1 when parsing succeeded, else the exit code to return.
int parse(int argc, char **argv, CommandLine &cl) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty())
    return usageError("no command given; expected check, emit, build or run");
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    auto value = [&](llvm::StringRef flag) -> std::optional<std::string> {
      if (!arg.consume_front(flag))
        return std::nullopt;
      if (arg.consume_front("="))
        return arg.str();
      if (arg.empty()) {
        if (i + 1 >= args.size())
          return std::nullopt;
        // A value in its own word is part of the flag for `run`'s cache.
        cl.flagsForCache += args[i + 1] + " ";
        return args[++i];
      }
      // Short flags take attached values: -Idir, -ofile.
      if (flag.size() == 2)
        return arg.str();
      return std::nullopt;
    };
    if (arg == "--help" || arg == "-h") {
      llvm::outs() << kHelp;
      return 0;
    }
    if (arg == "--version") {
      llvm::outs() << versionString() << "\n";
      return 0;
    }
    if (arg == "--") {
      cl.programArgs.assign(args.begin() + i + 1, args.end());
      break;
    }
    if (cl.command.empty() && !arg.starts_with("-")) {
      if (arg != "check" && arg != "emit" && arg != "build" && arg != "run")
        return usageError("unknown command '" + arg +
                          "'; expected check, emit, build or run");
      cl.command = arg.str();
      continue;
    }
    if (!arg.starts_with("-") || arg == "-") {
      if (!cl.input.empty())
        return usageError("more than one input: '" + cl.input + "' and '" +
                          arg + "'");
      cl.input = arg.str();
      continue;
    }
    cl.flagsForCache += arg.str() + " ";
    if (arg.starts_with("--stage")) {
      auto name = value("--stage");
      std::optional<Stage> stage = name ? parseStage(*name) : std::nullopt;
      if (!stage)
        return usageError("unknown stage '" + (name ? *name : "") +
                          "'; expected one of " + stageList());
      cl.stage = *stage;
      cl.stageGiven = true;
    } else if (arg.starts_with("--target")) {
      auto name = value("--target");
      if (name && *name == "cpu")
        cl.options.target = Target::Cpu;
      else if (name && *name == "cuda")
        cl.options.target = Target::Cuda;
      else
        return usageError("unknown target '" + (name ? *name : "") +
                          "'; expected cpu or cuda");
    } else if (arg == "-O0" || arg == "-O1" || arg == "-O2" || arg == "-O3") {
      cl.options.optLevel = arg[2] - '0';
    } else if (arg.starts_with("-o")) {
      auto file = value("-o");
      if (!file || file->empty())
        return usageError("-o needs a file name");
      cl.output = *file;
    } else if (arg.starts_with("-I")) {
      auto dir = value("-I");
      if (!dir || dir->empty())
        return usageError("-I needs a directory");
      cl.options.includeDirs.push_back(*dir);
    } else if (arg.starts_with("--gpu-chip")) {
      cl.cudaOnlyFlags.push_back("--gpu-chip");
      auto chip = value("--gpu-chip");
      if (!chip || !isKnownGpuChip(*chip))
        return usageError(
            "--gpu-chip needs an sm_XX architecture LLVM's "
            "NVPTX back end knows, e.g. sm_80, sm_90 or sm_90a" +
            (chip ? std::string(", not '") + *chip + "'" : std::string()));
      cl.options.gpuChip = *chip;
    } else if (arg.starts_with("--gpu-binary")) {
      cl.cudaOnlyFlags.push_back("--gpu-binary");
      auto format = value("--gpu-binary");
      if (format && *format == "ptx")
        cl.options.gpuBinary = DriverOptions::GpuBinary::Ptx;
      else if (format && *format == "fatbin")
        cl.options.gpuBinary = DriverOptions::GpuBinary::Fatbin;
      else
        return usageError("--gpu-binary needs 'ptx' or 'fatbin'");
    } else if (arg.starts_with("--cuda-path")) {
      cl.cudaOnlyFlags.push_back("--cuda-path");
      auto dir = value("--cuda-path");
      if (!dir || dir->empty())
        return usageError("--cuda-path needs a directory");
      cl.options.cudaPath = *dir;
    } else if (arg.starts_with("--gather-max-threads")) {
      cl.cudaOnlyFlags.push_back("--gather-max-threads");
      auto text = value("--gather-max-threads");
      int64_t threads = 0;
      if (!text || !parseInteger(*text, threads) || threads < 1)
        return usageError("--gather-max-threads needs a positive integer");
      cl.options.gatherMaxThreads = threads;
    } else if (arg.starts_with("--dense-sort-range")) {
      auto text = value("--dense-sort-range");
      int64_t range = 0;
      if (!text || !parseInteger(*text, range) || range < 0 || range > 4096)
        return usageError("--dense-sort-range needs an integer from 0 to "
                          "4096");
      cl.options.denseSortRange = range;
    } else if (arg == "--no-overlap") {
      cl.cudaOnlyFlags.push_back("--no-overlap");
      cl.options.overlap = false;
    } else if (arg == "--sample-ahead") {
      cl.options.sampleAhead = true;
    } else if (arg == "--no-sample-ahead") {
      cl.options.sampleAhead = false;
    } else if (arg == "--sort-gather-indices") {
      cl.options.sortIndices = true;
    } else if (arg == "--print-ir-after-all") {
      cl.options.printIRAfterAll = true;
    } else if (arg.starts_with("--print-ir-after")) {
      auto pass = value("--print-ir-after");
      if (!pass || pass->empty())
        return usageError("--print-ir-after needs a pass name, e.g. "
                          "--print-ir-after=canonicalize");
      cl.options.printIRAfter = *pass;
    } else if (arg == "--time-passes") {
      cl.options.timePasses = true;
    } else if (arg == "--mlir-print-debuginfo") {
      cl.options.printDebugInfo = true;
    } else {
      return usageError(
          "unknown option '" + arg +
          "'; options: --stage, -o, --target, -O0..-O3, -I, --gpu-chip, "
          "--gpu-binary, --cuda-path, "
          "--gather-max-threads, --no-overlap, --sample-ahead, "
          "--no-sample-ahead, "
          "--sort-gather-indices, "
          "--dense-sort-range, "
          "--print-ir-after-all, "
          "--print-ir-after, "
          "--time-passes, --mlir-print-debuginfo, --version, --help");
    }
  }
  if (cl.command.empty())
    return usageError("no command given; expected check, emit, build or run");
  if (cl.input.empty())
    return usageError("no input file given");
  if (cl.command != "run" && !cl.programArgs.empty())
    return usageError("arguments after '--' are only for 'run'");
  if (cl.command == "run" && !cl.output.empty())
    return usageError("-o is for 'emit' and 'build'; 'run' builds into its "
                      "cache");
  if (cl.command != "emit" && cl.stageGiven)
    return usageError("--stage is for 'emit'");
  // Writing the output over the input would lose the program.
  if (!cl.output.empty() && cl.output != "-") {
    bool same = false;
    if (cl.output == cl.input ||
        (!llvm::sys::fs::equivalent(cl.input, cl.output, same) && same))
      return usageError("-o " + cl.output + " would overwrite the input");
  }
  if (cl.options.target == Target::Cpu && cl.command != "check")
    for (const std::string &flag : cl.cudaOnlyFlags)
      llvm::errs() << "sluice: warning: " << flag
                   << " has no effect without --target=cuda\n";
  if (cl.options.target == Target::Cuda && !cl.options.cudaPath.empty() &&
      cl.options.gpuBinary != DriverOptions::GpuBinary::Fatbin)
    llvm::errs() << "sluice: warning: --cuda-path has no effect without "
                    "--gpu-binary=fatbin\n";
  return -1;
}

std::string defaultExecutableName(llvm::StringRef input) {
  llvm::SmallString<128> name = llvm::sys::path::filename(input);
  llvm::sys::path::replace_extension(name, "");
  return name.empty() ? "a.out" : std::string(name);
}

/// An error naming `output` when its directory does not exist, before any
/// work (otherwise the first file written there, the object, is named).
int checkOutputDirectory(const std::string &output) {
  llvm::StringRef dir = llvm::sys::path::parent_path(output);
  if (dir.empty() || llvm::sys::fs::is_directory(dir))
    return 0;
  llvm::errs() << "sluice: error: " << output << ": cannot write: "
               << (llvm::sys::fs::exists(dir) ? "not a directory: "
                                              : "no such directory: ")
               << dir << "\n";
  return 1;
}

/// Stops with an error when writing `stream` (to `name`) failed, e.g. a full
/// disk; LLVM would otherwise end the process with "IO failure on output
/// stream" when the stream is destroyed.
int checkWritten(llvm::raw_fd_ostream &stream, llvm::StringRef name) {
  stream.flush();
  if (!stream.has_error())
    return 0;
  llvm::errs() << "sluice: error: " << name
               << ": cannot write: " << stream.error().message() << "\n";
  stream.clear_error();
  return 1;
}

/// Compiles `cl.input` into an executable at `output`.
int buildExecutable(CommandLine &cl, const std::string &output) {
  if (int status = checkOutputDirectory(output))
    return status;
  Compilation compilation(cl.options);
  // main's type as written, then (after the ops' own errors) whether there
  // is one.
  if (failed(compilation.load(cl.input)) ||
      failed(compilation.checkEntryPoint(/*mustExist=*/false)) ||
      failed(compilation.lowerTo(Stage::Obj)) ||
      failed(compilation.checkEntryPoint(/*mustExist=*/true)))
    return 1;
  std::string object = output + ".o";
  if (failed(compilation.writeObject(object)))
    return 1;
  std::string error;
  bool linked = succeeded(linkExecutable({object}, output, error));
  llvm::sys::fs::remove(object);
  if (!linked) {
    llvm::errs() << "sluice: error: " << error << "\n";
    return 1;
  }
  return 0;
}

std::string cacheDirectory() {
  if (const char *env = std::getenv("SLUICE_CACHE_DIR"))
    return env;
  llvm::SmallString<256> dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"))
    dir = xdg;
  else if (const char *home = std::getenv("HOME"))
    llvm::sys::path::append(dir, home, ".cache");
  else
    llvm::sys::path::system_temp_directory(/*erasedOnReboot=*/true, dir);
  llvm::sys::path::append(dir, "sluice");
  return std::string(dir);
}

/// `run`: builds into a cache keyed by the source, the flags and the
/// compiler version, then runs the program with the arguments after `--`.
int run(CommandLine &cl) {
  auto source = llvm::MemoryBuffer::getFile(cl.input);
  if (!source) {
    llvm::errs() << "sluice: error: " << cl.input
                 << ": cannot read: " << source.getError().message() << "\n";
    return 1;
  }
  std::string key = (*source)->getBuffer().str() + "\n" + cl.flagsForCache +
                    "\n" + versionString() + "\n" + findRuntimeLibrary();
  // A Sluice program's modules are part of it: check the program (cheap)
  // to learn which files it reads.
  if (llvm::StringRef(cl.input).ends_with(".sl")) {
    Compilation sources(cl.options);
    if (failed(sources.load(cl.input, Compilation::Depth::Check)))
      return 1;
    key += sources.loadedSources();
  }
  llvm::SmallString<256> dir(cacheDirectory());
  llvm::sys::path::append(dir, llvm::utohexstr(llvm::xxh3_64bits(key)));
  llvm::SmallString<256> program = dir;
  llvm::sys::path::append(program, defaultExecutableName(cl.input));
  if (!llvm::sys::fs::exists(program)) {
    if (std::error_code code = llvm::sys::fs::create_directories(dir)) {
      llvm::errs() << "sluice: error: cannot create the cache directory " << dir
                   << ": " << code.message() << "\n";
      return 1;
    }
    // Build under a temporary name and rename, so that an interrupted build
    // never leaves a broken program in the cache.
    std::string temporary = std::string(program) + ".tmp";
    if (int status = buildExecutable(cl, temporary))
      return status;
    if (std::error_code code = llvm::sys::fs::rename(temporary, program)) {
      llvm::errs() << "sluice: error: cannot store " << program << ": "
                   << code.message() << "\n";
      return 1;
    }
  }
  std::vector<llvm::StringRef> args = {program};
  args.insert(args.end(), cl.programArgs.begin(), cl.programArgs.end());
  std::string message;
  int status = llvm::sys::ExecuteAndWait(program, args, std::nullopt, {}, 0, 0,
                                         &message);
  if (status < 0) {
    llvm::errs() << "sluice: error: running " << program
                 << " failed: " << message << "\n";
    return 1;
  }
  return status;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  CommandLine cl;
  if (int status = parse(argc, argv, cl); status >= 0)
    return status;

  if (cl.command == "run")
    return run(cl);
  if (cl.command == "build")
    return buildExecutable(
        cl, cl.output.empty() ? defaultExecutableName(cl.input) : cl.output);

  Compilation compilation(cl.options);
  Compilation::Depth depth = cl.command == "check" ? Compilation::Depth::Check
                             : cl.stage == Stage::Ast
                                 ? Compilation::Depth::Parse
                                 : Compilation::Depth::Generate;
  if (failed(compilation.load(cl.input, depth)))
    return 1;
  if (cl.command == "check")
    return 0;

  // emit
  if (failed(compilation.lowerTo(cl.stage)))
    return 1;
  if (cl.stage == Stage::Obj) {
    if (cl.output.empty() || cl.output == "-")
      return usageError("the 'obj' stage writes a binary file: give -o <file>");
    if (int status = checkOutputDirectory(cl.output))
      return status;
    return failed(compilation.writeObject(cl.output)) ? 1 : 0;
  }
  if (cl.output.empty() || cl.output == "-") {
    if (failed(compilation.print(cl.stage, llvm::outs())))
      return 1;
    return checkWritten(llvm::outs(), "standard output");
  }
  std::error_code code;
  llvm::raw_fd_ostream out(cl.output, code);
  if (code) {
    llvm::errs() << "sluice: error: " << cl.output
                 << ": cannot write: " << code.message() << "\n";
    return 1;
  }
  if (failed(compilation.print(cl.stage, out)))
    return 1;
  return checkWritten(out, cl.output);
}
