//===- Driver.h - the stages of a Sluice compilation ------------*- C++ -*-===//
//
// The library behind the `sluice` tool: load an input, lower it stage by
// stage, print any stage, write an object file, link an executable. The tool
// itself only parses flags (CIRCT's firtool keeps its pipeline the same way).
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_COMPILER_DRIVER_H
#define SLUICE_COMPILER_DRIVER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
class SourceMgrDiagnosticHandler;
} // namespace mlir

namespace sluice::lang {
struct Module;
struct Program;
class RangeDiagnosticHandler;
} // namespace sluice::lang

namespace sluice {

/// The stages, in compilation order (Toy's -emit, IREE's --compile-to).
enum class Stage { Ast, Sluice, Lowered, LlvmMlir, Llvm, Ptx, Obj };

/// "ast", "sluice", ... and back.
llvm::StringRef stageName(Stage stage);
std::optional<Stage> parseStage(llvm::StringRef name);
/// "ast, sluice, lowered, llvm-mlir, llvm, ptx, obj"
std::string stageList();

enum class Target { Cpu, Cuda };

struct DriverOptions {
  Target target = Target::Cpu;
  unsigned optLevel = 2;
  std::string gpuChip = "sm_90";
  int64_t gatherMaxThreads = 10240;
  // How kernels are embedded (--target=cuda): PTX that the driver compiles
  // at the first run, or a fatbin (machine code for gpuChip plus PTX), built
  // with the CUDA toolkit found in cudaPath (else CUDA_HOME, CUDA_ROOT,
  // CUDA_PATH, ptxas on PATH, /usr/local/cuda).
  enum class GpuBinary { Ptx, Fatbin } gpuBinary = GpuBinary::Ptx;
  std::string cudaPath;
  bool overlap = true;
  bool sortIndices = false;
  // Sample the next batch in the background (sluice-sample-ahead); unset:
  // the target's default (on for CUDA, where the host waits for kernels
  // while a batch trains; off for the CPU, whose cores are busy training).
  std::optional<bool> sampleAhead;
  // sluice-expand-sort-unique's dense-range; unset: the target's default.
  std::optional<int64_t> denseSortRange;
  std::vector<std::string> includeDirs;
  bool printIRAfterAll = false;
  std::string printIRAfter; // a pass argument, e.g. "canonicalize"
  bool timePasses = false;
  bool printDebugInfo = false; // print op locations with the IR
};

/// One input on its way through the stages. Diagnostics go to stderr with
/// the source line and a caret.
class Compilation {
public:
  explicit Compilation(DriverOptions options);
  ~Compilation();

  /// How far `load` takes a `.sl` program.
  enum class Depth { Parse, Check, Generate };

  /// Reads and verifies `path` (`.mlir`: the `sluice` stage or later; `.sl`:
  /// a Sluice program, parsed, checked and turned into `sluice` IR as far as
  /// `depth` says).
  mlir::LogicalResult load(llvm::StringRef path, Depth depth = Depth::Generate);

  /// Runs the passes up to and including `stage` (from wherever the module
  /// is). `Ast` needs a `.sl` input; `Ptx` needs the CUDA target.
  mlir::LogicalResult lowerTo(Stage stage);

  /// Prints a textual stage (after lowerTo(stage)).
  mlir::LogicalResult print(Stage stage, llvm::raw_ostream &os);

  /// Writes the object file of the lowered module.
  mlir::LogicalResult writeObject(llvm::StringRef path);

  /// Whether the module can become an executable: its `main` takes nothing
  /// and returns i32, and with `mustExist` there is one (checked before
  /// `build` links, rather than the linker's "undefined reference"; at any
  /// stage).
  mlir::LogicalResult checkEntryPoint(bool mustExist);

  mlir::ModuleOp module() { return *moduleOp; }

  /// Every source read so far (the input and the modules it uses), names and
  /// contents, for keying a build cache.
  std::string loadedSources() const;

private:
  mlir::LogicalResult runPipeline(Stage stage);
  mlir::LogicalResult loadProgram(Depth depth);
  void applySchedule();
  mlir::LogicalResult error(const llvm::Twine &message);

  DriverOptions options;
  mlir::MLIRContext context;
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> diagnostics;
  std::unique_ptr<lang::RangeDiagnosticHandler> rangeDiagnostics;
  std::unique_ptr<lang::Module> ast;      // --stage=ast
  std::unique_ptr<lang::Program> program; // a checked .sl program
  mlir::OwningOpRef<mlir::ModuleOp> moduleOp;
  std::string inputPath;
  Stage reached = Stage::Sluice;
  bool printAfterMatched = false;
};

/// Links object files with libsluice_rt into an executable, with the system
/// C++ compiler driver (SLUICE_CXX, else c++). `error` says what failed.
mlir::LogicalResult linkExecutable(llvm::ArrayRef<std::string> objects,
                                   llvm::StringRef output, std::string &error);

/// Where libsluice_rt.a is: SLUICE_RUNTIME, else next to the tool (the
/// build tree's runtime/ or an install's lib/sluice/). Empty if not found.
std::string findRuntimeLibrary();

/// "sluice 0.1.0 (MLIR/LLVM 22.1.8)"
std::string versionString();

/// Whether LLVM's NVPTX back end knows `chip` (e.g. sm_90, sm_90a): the
/// check behind --gpu-chip.
bool isKnownGpuChip(llvm::StringRef chip);

} // namespace sluice

#endif // SLUICE_COMPILER_DRIVER_H
