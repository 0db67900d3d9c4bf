//===- Sema.h - Sluice semantic analysis ------------------------*- C++ -*-===//
//
// Name resolution across modules, type and shape inference and checking.
// Every function, model and optimizer is checked once, generically: a model's
// constructor parameters and a function's unbound dimension names are
// symbols, and a use substitutes the caller's dimensions for them (so
// `nn.Linear(256, G.num_classes)` returns `f32[?, G.num_classes]`).
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_LANGUAGE_SEMA_H
#define SLUICE_LANGUAGE_SEMA_H

#include "sluice/Language/AST.h"
#include "sluice/Language/Diagnostics.h"
#include "sluice/Language/Types.h"

#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <vector>

namespace sluice::lang {

/// A checked program: the main module and every module it uses.
struct Program {
  std::vector<std::unique_ptr<Module>> modules; // modules[0] is the main one
  Module &main() { return *modules.front(); }
  /// Filled by sema: the type of every expression it checked.
  llvm::DenseMap<const Expr *, Type> types;
  /// The annotated type of each `let x: T` / `var x: T`.
  llvm::DenseMap<const Stmt *, Type> declared;
};

/// Checks the program; reports every error through `reporter`. Succeeds when
/// no error was reported.
bool checkProgram(Program &program, Reporter &reporter);

} // namespace sluice::lang

#endif // SLUICE_LANGUAGE_SEMA_H
