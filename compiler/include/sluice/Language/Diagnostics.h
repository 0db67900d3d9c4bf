//===- Diagnostics.h - front-end diagnostics --------------------*- C++ -*-===//
//
// The front end reports through MLIR's diagnostic engine with
// FileLineColRange locations, so one mechanism serves the parser, sema,
// MLIRGen and every later pass. RangeDiagnosticHandler prints them the way
// clang does: `file:line:col: error: ...`, the source line, the range
// underlined, notes at their own places, and a fix-it line for a note of the
// form "did you mean `x`?".
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_LANGUAGE_DIAGNOSTICS_H
#define SLUICE_LANGUAGE_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"

#include <string>
#include <vector>

namespace sluice::lang {

/// Makes locations and emits diagnostics for one SourceMgr; counts errors.
class Reporter {
public:
  Reporter(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context)
      : sourceMgr(sourceMgr), context(context) {}

  /// The range as a location (`file:line:col to line:col`).
  mlir::Location rangeLoc(llvm::SMRange range) const;
  /// The start of the range as a FileLineColLoc (what ops are located at).
  mlir::Location pointLoc(llvm::SMRange range) const;

  mlir::InFlightDiagnostic error(llvm::SMRange range, const llvm::Twine &msg);
  mlir::InFlightDiagnostic warning(llvm::SMRange range, const llvm::Twine &msg);
  /// Adds "did you mean `best`?" at `range` when one of `candidates` is
  /// close to `name`.
  void suggest(mlir::InFlightDiagnostic &diag, llvm::SMRange range,
               llvm::StringRef name,
               const std::vector<std::string> &candidates) const;

  unsigned errorCount() const { return errors; }
  llvm::SourceMgr &getSourceMgr() { return sourceMgr; }
  mlir::MLIRContext *getContext() { return context; }

private:
  llvm::SourceMgr &sourceMgr;
  mlir::MLIRContext *context;
  unsigned errors = 0;
};

/// The closest candidate by edit distance, if it is close enough to be a
/// likely typo; "" otherwise.
std::string closestName(llvm::StringRef name,
                        const std::vector<std::string> &candidates);

/// Prints diagnostics located in `sourceMgr`'s buffers with ranges and
/// fix-its; leaves any other diagnostic to the handlers registered before it.
class RangeDiagnosticHandler : public mlir::ScopedDiagnosticHandler {
public:
  RangeDiagnosticHandler(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *ctx,
                         llvm::raw_ostream &os);

private:
  mlir::LogicalResult handle(mlir::Diagnostic &diag);
  bool toRange(mlir::Location loc, llvm::SMRange &range);
  void print(mlir::Location loc, llvm::SourceMgr::DiagKind kind,
             const std::string &message);

  llvm::SourceMgr &sourceMgr;
  llvm::raw_ostream &os;
};

} // namespace sluice::lang

#endif // SLUICE_LANGUAGE_DIAGNOSTICS_H
