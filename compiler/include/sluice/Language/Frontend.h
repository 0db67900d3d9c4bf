//===- Frontend.h - from a .sl file to sluice IR ----------------*- C++ -*-===//
//
// Loads a program and the modules it uses, checks it, and generates the
// `sluice` stage. The driver calls these; the fuzzer calls checkSource.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_LANGUAGE_FRONTEND_H
#define SLUICE_LANGUAGE_FRONTEND_H

#include "sluice/Language/Sema.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>
#include <string>
#include <vector>

namespace sluice::lang {

struct FrontendOptions {
  /// Where `use` looks, after the using file's own directory: the -I
  /// directories, then SLUICE_PATH, then `stdlibDir`.
  std::vector<std::string> includeDirs;
  std::string stdlibDir;
  /// False: `use` reads no files (the fuzzer).
  bool allowFiles = true;
};

/// Parses buffer `mainBuffer` of the reporter's SourceMgr and every module it
/// uses (added to the same SourceMgr), then checks the whole program. Returns
/// null when any error was reported.
std::unique_ptr<Program> loadProgram(unsigned mainBuffer, Reporter &reporter,
                                     const FrontendOptions &options);

/// Parses only (for `--stage=ast`); null on a syntax error.
std::unique_ptr<Module> parseOnly(unsigned mainBuffer, Reporter &reporter);

/// Generates the `sluice` stage of a checked program: every op located at
/// its source. Null after reporting what code generation cannot express yet.
mlir::OwningOpRef<mlir::ModuleOp> generateIR(Program &program,
                                             Reporter &reporter);

/// The fuzzer's entry: lexes, parses and checks `source` as a main program
/// with no search path; diagnostics are discarded. Never crashes, hangs or
/// asserts, whatever the input.
void checkSourceForFuzzing(llvm::StringRef source);

} // namespace sluice::lang

#endif // SLUICE_LANGUAGE_FRONTEND_H
