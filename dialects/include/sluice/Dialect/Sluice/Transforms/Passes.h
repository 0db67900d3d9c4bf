//===- Passes.h - sluice dialect passes -------------------------*- C++ -*-===//

#ifndef SLUICE_DIALECT_SLUICE_TRANSFORMS_PASSES_H
#define SLUICE_DIALECT_SLUICE_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::sluice {

#define GEN_PASS_DECL
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"

} // namespace mlir::sluice

#endif // SLUICE_DIALECT_SLUICE_TRANSFORMS_PASSES_H
