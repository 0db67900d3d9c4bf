//===- Driver.cpp - the stages of a Sluice compilation --------------------===//

#include "sluice/Compiler/Driver.h"
#include "sluice/Compiler/Pipelines.h"
#include "sluice/Dialect/Sluice/IR/SluiceDialect.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"
#include "sluice/Language/Diagnostics.h"
#include "sluice/Language/Frontend.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace sluice {

static constexpr const char *kStageNames[] = {
    "ast", "sluice", "lowered", "llvm-mlir", "llvm", "ptx", "obj"};

llvm::StringRef stageName(Stage stage) {
  return kStageNames[static_cast<int>(stage)];
}

std::optional<Stage> parseStage(llvm::StringRef name) {
  for (int i = 0; i < int(std::size(kStageNames)); ++i)
    if (name == kStageNames[i])
      return static_cast<Stage>(i);
  return std::nullopt;
}

std::string stageList() {
  return llvm::join(std::begin(kStageNames), std::end(kStageNames), ", ");
}

extern "C" void LLVMInitializeNVPTXTargetInfo();
extern "C" void LLVMInitializeNVPTXTargetMC();

bool isKnownGpuChip(llvm::StringRef chip) {
  static const llvm::MCSubtargetInfo *nvptx = [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTargetMC();
    llvm::Triple triple("nvptx64-nvidia-cuda");
    std::string error;
    const llvm::Target *target =
        llvm::TargetRegistry::lookupTarget(triple, error);
    // No processor named: asking about an unknown one prints nothing.
    return target ? target->createMCSubtargetInfo(triple, "", "") : nullptr;
  }();
  return nvptx && chip.starts_with("sm_") && nvptx->isCPUStringValid(chip);
}

std::string versionString() {
  return "sluice 0.1.0 (MLIR/LLVM " LLVM_VERSION_STRING ")";
}

Compilation::Compilation(DriverOptions options) : options(std::move(options)) {
  DialectRegistry registry;
  registerSluiceDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
  // Users read diagnostics against their source; a dump of the failing op in
  // generic form is noise to them (sluice-opt keeps it for compiler work).
  context.printOpOnDiagnostic(false);
  diagnostics =
      std::make_unique<SourceMgrDiagnosticHandler>(sourceMgr, &context);
}

Compilation::~Compilation() = default;

LogicalResult Compilation::error(const llvm::Twine &message) {
  llvm::errs() << "sluice: error: " << message << "\n";
  return failure();
}

/// The standard library: installed next to the tool, else the source tree
/// the tool was built from.
static std::string findStdlib() {
  std::string self = llvm::sys::fs::getMainExecutable(
      nullptr, reinterpret_cast<void *>(&findStdlib));
  llvm::SmallString<256> installed = llvm::sys::path::parent_path(self);
  llvm::sys::path::append(installed, "..", "share", "sluice", "stdlib");
  if (llvm::sys::fs::is_directory(installed))
    return std::string(installed);
#ifdef SLUICE_SOURCE_DIR
  llvm::SmallString<256> source(SLUICE_SOURCE_DIR);
  llvm::sys::path::append(source, "stdlib");
  if (llvm::sys::fs::is_directory(source))
    return std::string(source);
#endif
  return "";
}

LogicalResult Compilation::loadProgram(Depth depth) {
  lang::Reporter reporter(sourceMgr, &context);
  if (depth == Depth::Parse) {
    ast = lang::parseOnly(1, reporter);
    return success(ast != nullptr);
  }
  lang::FrontendOptions frontend;
  frontend.includeDirs = options.includeDirs;
  frontend.stdlibDir = findStdlib();
  program = lang::loadProgram(1, reporter, frontend);
  if (!program)
    return failure();
  if (depth == Depth::Check)
    return success();
  moduleOp = lang::generateIR(*program, reporter);
  if (!moduleOp)
    return failure();
  applySchedule();
  // MLIRGen threads every mutable cell through every loop and inlines every
  // call; canonicalization and CSE drop what is carried unchanged or
  // computed twice, so the `sluice` stage reads like the program. Gradients
  // are taken first: folding could otherwise merge a parameter's initial
  // value with equal data, or fold a loss whose parameters are constants.
  PassManager cleanup(&context);
  cleanup.addPass(mlir::sluice::createAutodiff());
  cleanup.addPass(createCanonicalizerPass());
  cleanup.addPass(createCSEPass());
  return cleanup.run(*moduleOp);
}

void Compilation::applySchedule() {
  // A schedule's directives are the program's own say on what the flags
  // otherwise decide (placement is applied by MLIRGen).
  for (const auto &schedule : program->main().schedules)
    for (const lang::Directive &directive : schedule->directives) {
      // Sorting pays where the GPU reads host rows in place; on the CPU the
      // sorted path (sort, gather, gather back) measured slower than one
      // gather (docs/performance.md), so there the directive is a no-op.
      if (directive.kind == lang::Directive::SortIndices &&
          options.target == Target::Cuda)
        options.sortIndices = true;
      if (directive.kind == lang::Directive::Overlap && directive.depth < 2)
        options.overlap = false;
      // Sampling ahead: depth 1 is off, more is on (one batch ahead); a
      // flag given on the command line wins.
      if (directive.kind == lang::Directive::OverlapSample &&
          !options.sampleAhead)
        options.sampleAhead = directive.depth >= 2;
    }
}

std::string Compilation::loadedSources() const {
  std::string text;
  for (unsigned id = 1, e = sourceMgr.getNumBuffers(); id <= e; ++id) {
    const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(id);
    text += buffer->getBufferIdentifier().str() + "\n" +
            buffer->getBuffer().str() + "\n";
  }
  return text;
}

LogicalResult Compilation::load(llvm::StringRef path, Depth depth) {
  inputPath = path.str();
  if (path.ends_with(".sl")) {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (std::error_code code = buffer.getError())
      return error(path + ": cannot read: " + code.message());
    sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
    rangeDiagnostics = std::make_unique<lang::RangeDiagnosticHandler>(
        sourceMgr, &context, llvm::errs());
    return loadProgram(depth);
  }
  if (depth == Depth::Parse)
    return error("the 'ast' stage needs a Sluice program (.sl); " + path +
                 " is MLIR");
  if (!path.ends_with(".mlir"))
    return error(path + ": unknown input kind; expected a .sl or .mlir file");
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path);
  if (std::error_code code = buffer.getError())
    return error(path + ": cannot read: " + code.message());
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  moduleOp = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!moduleOp)
    return failure(); // the parser reported where
  reached = Stage::Sluice;
  return success();
}

/// Reports, once per kind, what the target's pipeline cannot compile, before
/// it fails somewhere inside with a message about an internal step.
/// Whether the module computes on tensors (a Sluice program), rather than
/// being buffer-level IR (gathers into buffers, as the data-path tests write).
static bool hasTensorCode(ModuleOp module) {
  return module
      .walk([](Operation *op) {
        return llvm::any_of(
                   op->getResultTypes(),
                   [](Type type) { return llvm::isa<RankedTensorType>(type); })
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// The CUDA toolkit whose bin/ holds ptxas and fatbinary: `explicitPath`
/// if given (and only it), else the first of CUDA_HOME, CUDA_ROOT,
/// CUDA_PATH, the directory above the ptxas on PATH, /usr/local/cuda.
static std::optional<std::string>
findCudaToolkit(const std::string &explicitPath, std::string &looked) {
  auto hasTools = [](llvm::StringRef dir) {
    for (const char *tool : {"ptxas", "fatbinary"}) {
      llvm::SmallString<256> path(dir);
      llvm::sys::path::append(path, "bin", tool);
      if (!llvm::sys::fs::can_execute(path))
        return false;
    }
    return true;
  };
  std::vector<std::string> candidates;
  if (!explicitPath.empty()) {
    candidates.push_back(explicitPath);
  } else {
    for (const char *variable : {"CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"})
      if (const char *value = std::getenv(variable); value && *value)
        candidates.push_back(value);
    if (auto ptxas = llvm::sys::findProgramByName("ptxas"))
      candidates.push_back(
          llvm::sys::path::parent_path(llvm::sys::path::parent_path(*ptxas))
              .str());
    candidates.push_back("/usr/local/cuda");
  }
  for (const std::string &candidate : candidates) {
    if (hasTools(candidate))
      return candidate;
    looked += (looked.empty() ? "" : ", ") + candidate + "/bin";
  }
  return std::nullopt;
}

static LogicalResult checkTargetSupport(ModuleOp module, Target target) {
  llvm::SmallDenseSet<OperationName> reported;
  bool tensorCode = hasTensorCode(module);
  // Sluice ops of hand-written IR where the lowerings look for them: in a
  // function of the top-level module (parameters at its top level).
  bool misplaced = false;
  module.walk([&](Operation *op) {
    if (!llvm::isa<mlir::sluice::SluiceDialect>(op->getDialect()))
      return;
    if (op->getParentOfType<ModuleOp>() != module) {
      op->emitError("'") << op->getName()
                         << "' is in a nested module; sluice compiles the "
                            "top-level module's ops";
      misplaced = true;
    } else if (!llvm::isa<mlir::sluice::ParamOp>(op) &&
               !op->getParentOfType<func::FuncOp>()) {
      op->emitError("'") << op->getName() << "' must be inside a function";
      misplaced = true;
    }
  });
  if (misplaced)
    return failure();
  module.walk([&](Operation *op) {
    if (target == Target::Cpu || tensorCode) {
      bool lowered =
          !llvm::isa<mlir::sluice::SluiceDialect>(op->getDialect()) ||
          llvm::isa<mlir::sluice::MakeTableOp, mlir::sluice::GatherOp,
                    mlir::sluice::GatherIntoOp, mlir::sluice::SortUniqueOp,
                    mlir::sluice::SortUniqueIntoOp, mlir::sluice::ParamOp,
                    mlir::sluice::ParamValueOp, mlir::sluice::LogOp,
                    mlir::sluice::RandomUniformOp, mlir::sluice::ArgmaxOp,
                    mlir::sluice::TakeAlongOp, mlir::sluice::RecordLossOp,
                    mlir::sluice::SelectHardestOp, mlir::sluice::ShuffleOp,
                    mlir::sluice::LoadDatasetOp, mlir::sluice::StringOp,
                    mlir::sluice::LoadGraphOp, mlir::sluice::SampleOp,
                    mlir::sluice::SampleAheadOp, mlir::sluice::BlockLayerOp,
                    mlir::sluice::AggregateMeanOp,
                    mlir::sluice::AggregateMeanGradOp, mlir::sluice::FieldOp>(
              op);
      if (!lowered && reported.insert(op->getName()).second)
        op->emitError("'")
            << op->getName() << "' cannot be compiled for "
            << (target == Target::Cpu ? "the CPU" : "CUDA")
            << " yet: no back end lowers it in this version of sluice";
    }
  });
  return failure(!reported.empty());
}

LogicalResult Compilation::runPipeline(Stage stage) {
  PassManager pm(&context);
  if (options.timePasses)
    pm.enableTiming();
  if (options.printIRAfterAll || !options.printIRAfter.empty()) {
    std::string wanted = options.printIRAfter;
    bool all = options.printIRAfterAll;
    bool *matched = &printAfterMatched;
    context.disableMultithreading();
    pm.enableIRPrinting(
        /*shouldPrintBeforePass=*/[](Pass *, Operation *) { return false; },
        /*shouldPrintAfterPass=*/
        [all, wanted, matched](Pass *pass, Operation *) {
          bool named = pass->getArgument() == wanted;
          *matched |= named;
          return all || named;
        },
        /*printModuleScope=*/true, /*printAfterOnlyOnChange=*/false);
  }
  switch (stage) {
  case Stage::Lowered:
    buildHighLevelPipeline(
        pm,
        {options.target == Target::Cuda, options.overlap, options.sortIndices,
         options.sampleAhead.value_or(options.target == Target::Cuda)});
    break;
  case Stage::LlvmMlir:
    if (failed(checkTargetSupport(*moduleOp, options.target)))
      return failure();
    if (options.target == Target::Cpu) {
      CpuPipelineOptions cpu;
      if (options.denseSortRange)
        cpu.denseSortRange = *options.denseSortRange;
      buildLowerToCpuPipeline(pm, cpu);
    } else {
      TargetPipelineOptions target;
      target.chip = options.gpuChip;
      target.gatherMaxThreads = options.gatherMaxThreads;
      if (options.denseSortRange)
        target.denseSortRange = *options.denseSortRange;
      target.tensorCode = hasTensorCode(*moduleOp);
      if (options.gpuBinary == DriverOptions::GpuBinary::Fatbin) {
        std::string looked;
        std::optional<std::string> toolkit =
            findCudaToolkit(options.cudaPath, looked);
        if (!toolkit)
          return error(
              "--gpu-binary=fatbin needs the CUDA toolkit's ptxas and "
              "fatbinary at build time, and they are not in " +
              looked +
              "; install the CUDA toolkit, point --cuda-path (or CUDA_HOME) "
              "at it, or build with --gpu-binary=ptx (the default)");
        target.binaryFormat = "fatbin";
        target.cudaToolkit = *toolkit;
      }
      buildLowerToCudaPipeline(pm, target);
    }
    break;
  default:
    return success();
  }
  // MLIR's NVVM serializer looks for CUDA's libdevice for every kernel
  // module and reports a missing toolkit as an error that does not fail
  // the pass. Kernels of f32 programs never call libdevice
  // (sluice-expand-kernel-math), so the report is held back, and becomes
  // an error only if a kernel does call it.
  std::string libdeviceMissing;
  ScopedDiagnosticHandler libdevice(&context, [&](Diagnostic &diagnostic) {
    std::string text = diagnostic.str();
    StringRef message = StringRef(text).trim();
    if (diagnostic.getSeverity() != DiagnosticSeverity::Error ||
        !(message.starts_with("CUDA path: ") ||
          message.starts_with("LibDevice path: ")))
      return failure();
    libdeviceMissing = message.str();
    return success();
  });
  if (failed(pm.run(*moduleOp)))
    return failure();
  if (libdeviceMissing.empty())
    return success();
  bool calls = false;
  moduleOp->walk([&](gpu::BinaryOp binary) {
    for (Attribute object : binary.getObjects())
      if (auto code = llvm::dyn_cast<gpu::ObjectAttr>(object))
        calls |= code.getObject().getValue().contains("__nv_");
  });
  if (!calls)
    return success();
  return error(
      "the kernels call CUDA's libdevice (f64 math such as exp or "
      "log), and no CUDA toolkit was found: " +
      libdeviceMissing +
      " Install the CUDA toolkit, or set CUDA_HOME (or CUDA_ROOT) to it");
}

LogicalResult Compilation::lowerTo(Stage stage) {
  if (stage == Stage::Ast)
    return success(ast != nullptr);
  if (stage == Stage::Ptx && options.target != Target::Cuda)
    return error("the 'ptx' stage needs --target=cuda");
  if (stage == Stage::Ptx &&
      options.gpuBinary == DriverOptions::GpuBinary::Fatbin)
    return error("the 'ptx' stage prints the kernels' PTX, which "
                 "--gpu-binary=fatbin replaces with machine code: drop "
                 "--gpu-binary=fatbin to see it");
  for (Stage next : {Stage::Lowered, Stage::LlvmMlir}) {
    if (stage < next || reached >= next)
      continue;
    if (failed(runPipeline(next)))
      return failure();
    reached = next;
  }
  if (!options.printIRAfter.empty() && !printAfterMatched &&
      reached == Stage::LlvmMlir)
    llvm::errs() << "sluice: warning: no pass named '" << options.printIRAfter
                 << "' ran; `sluice-opt --help` lists pass names\n";
  return success();
}

/// Translates to LLVM IR for the host, optimized at `optLevel`, with the
/// target machine that will emit it.
static std::unique_ptr<llvm::Module> translateToLLVM(
    ModuleOp module, llvm::LLVMContext &llvmContext, unsigned optLevel,
    std::unique_ptr<llvm::TargetMachine> &machine, std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions targetOptions;
  // The GPU module loader is a global constructor: it must be in
  // .init_array, which is what the loader runs on Linux.
  targetOptions.UseInitArray = true;
  llvm::CodeGenOptLevel level = optLevel == 0   ? llvm::CodeGenOptLevel::None
                                : optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                : optLevel == 2
                                    ? llvm::CodeGenOptLevel::Default
                                    : llvm::CodeGenOptLevel::Aggressive;
  // A portable x86-64 baseline: executables built here also run on the
  // machines they are carried to.
  machine.reset(target->createTargetMachine(triple, "x86-64", "", targetOptions,
                                            llvm::Reloc::PIC_, std::nullopt,
                                            level));
  if (!machine) {
    error = "cannot create a target machine for " + triple.str();
    return nullptr;
  }
  auto llvmModule = translateModuleToLLVMIR(module, llvmContext, "sluice");
  if (!llvmModule) {
    error = "translation to LLVM IR failed";
    return nullptr;
  }
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(triple);
  auto optimize =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, machine.get());
  if (llvm::Error failed = optimize(llvmModule.get())) {
    error = llvm::toString(std::move(failed));
    return nullptr;
  }
  return llvmModule;
}

LogicalResult Compilation::print(Stage stage, llvm::raw_ostream &os) {
  switch (stage) {
  case Stage::Ast:
    if (!ast)
      return error("the 'ast' stage needs a Sluice program (.sl)");
    lang::dumpModule(*ast, sourceMgr, os);
    return success();
  case Stage::Obj:
    return error("the '" + stageName(stage) + "' stage is not text");
  case Stage::Sluice:
  case Stage::Lowered:
  case Stage::LlvmMlir:
    moduleOp->print(os, OpPrintingFlags().enableDebugInfo(
                            options.printDebugInfo, /*prettyForm=*/false));
    return success();
  case Stage::Llvm: {
    llvm::LLVMContext llvmContext;
    std::unique_ptr<llvm::TargetMachine> machine;
    std::string message;
    auto llvmModule = translateToLLVM(*moduleOp, llvmContext, options.optLevel,
                                      machine, message);
    if (!llvmModule)
      return error(message);
    llvmModule->print(os, nullptr);
    return success();
  }
  case Stage::Ptx: {
    bool any = false;
    moduleOp->walk([&](gpu::BinaryOp binary) {
      for (Attribute object : binary.getObjects()) {
        auto gpuObject = llvm::cast<gpu::ObjectAttr>(object);
        os << "// kernels of @" << binary.getName() << " for "
           << gpuObject.getTarget() << "\n"
           << gpuObject.getObject().getValue() << "\n";
        any = true;
      }
    });
    if (!any)
      os << "// no GPU kernels: nothing in this program runs on the GPU\n";
    return success();
  }
  }
  return failure();
}

LogicalResult Compilation::checkEntryPoint(bool mustExist) {
  Operation *main = moduleOp->lookupSymbol("main");
  if (auto function = llvm::dyn_cast_or_null<func::FuncOp>(main)) {
    if (function.isExternal())
      return function.emitError("main is only declared: an executable needs "
                                "its body");
    // Its result is the process's exit status: without one, the status
    // would be whatever the register held.
    FunctionType type = function.getFunctionType();
    if (type.getNumInputs() != 0 || type.getNumResults() != 1 ||
        !type.getResult(0).isInteger(32))
      return function.emitError("an executable's main takes nothing and "
                                "returns i32 (its exit status), but main is ")
             << type;
    return success();
  }
  if (auto function = llvm::dyn_cast_or_null<LLVM::LLVMFuncOp>(main)) {
    if (function.isExternal())
      return function.emitError("main is only declared: an executable needs "
                                "its body");
    // Lowered: `main() -> i32`, or (argc, argv) once a program's flags are
    // parsed in it.
    LLVM::LLVMFunctionType type = function.getFunctionType();
    auto result = llvm::dyn_cast<IntegerType>(type.getReturnType());
    bool arguments =
        type.getNumParams() == 0 ||
        (type.getNumParams() == 2 && type.getParamType(0).isInteger(32) &&
         llvm::isa<LLVM::LLVMPointerType>(type.getParamType(1)));
    if (!result || result.getWidth() != 32 || !arguments)
      return function.emitError("an executable's main takes nothing and "
                                "returns i32 (its exit status), but main is ")
             << type;
    return success();
  }
  if (!mustExist)
    return success();
  return error(inputPath + ": the program has no `main` function, so it "
                           "cannot become an executable (`sluice emit "
                           "--stage=obj` writes an object to link into one)");
}

LogicalResult Compilation::writeObject(llvm::StringRef path) {
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::TargetMachine> machine;
  std::string message;
  auto llvmModule = translateToLLVM(*moduleOp, llvmContext, options.optLevel,
                                    machine, message);
  if (!llvmModule)
    return error(message);
  std::error_code code;
  llvm::ToolOutputFile out(path, code, llvm::sys::fs::OF_None);
  if (code)
    return error(path + ": cannot write: " + code.message());
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, out.os(), nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return error("the target cannot emit object files");
  codegen.run(*llvmModule);
  out.keep();
  return success();
}

std::string findRuntimeLibrary() {
  if (const char *env = std::getenv("SLUICE_RUNTIME"))
    return llvm::sys::fs::exists(env) ? env : "";
  std::string self = llvm::sys::fs::getMainExecutable(
      nullptr, reinterpret_cast<void *>(&findRuntimeLibrary));
  llvm::SmallString<256> bin = llvm::sys::path::parent_path(self);
  for (const char *relative :
       {"../runtime/libsluice_rt.a", "../lib/sluice/libsluice_rt.a"}) {
    llvm::SmallString<256> candidate = bin;
    llvm::sys::path::append(candidate, relative);
    if (llvm::sys::fs::exists(candidate))
      return std::string(candidate);
  }
  return "";
}

LogicalResult linkExecutable(llvm::ArrayRef<std::string> objects,
                             llvm::StringRef output, std::string &error) {
  std::string runtime = findRuntimeLibrary();
  if (runtime.empty()) {
    error = "cannot find libsluice_rt.a next to the sluice tool; set "
            "SLUICE_RUNTIME to its path";
    return failure();
  }
  std::string compiler = "c++";
  if (const char *env = std::getenv("SLUICE_CXX"))
    compiler = env;
  auto program = llvm::sys::findProgramByName(compiler);
  if (!program) {
    error = "cannot find the C++ linker '" + compiler +
            "' (install g++, or set SLUICE_CXX)";
    return failure();
  }
  std::vector<std::string> args = {*program};
  args.insert(args.end(), objects.begin(), objects.end());
  // Static libstdc++ so that executables run on machines with another one.
  for (const char *arg : {"-o"})
    args.push_back(arg);
  args.push_back(output.str());
  args.push_back(runtime);
  // Matrix products call OpenBLAS; its archive adds code only to programs
  // that multiply matrices. SLUICE_OPENBLAS overrides where it is.
  const char *blas = std::getenv("SLUICE_OPENBLAS");
  args.push_back(blas ? blas : SLUICE_OPENBLAS_LIBRARY);
  for (const char *arg : {"-static-libstdc++", "-static-libgcc", "-pthread",
                          "-ldl", "-lm", "-lz"})
    args.push_back(arg);
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*program, refs, std::nullopt, {}, 0, 0,
                                         &message);
  if (status != 0) {
    error = "linking " + output.str() + " failed" +
            (message.empty() ? "" : ": " + message);
    return failure();
  }
  return success();
}

} // namespace sluice
