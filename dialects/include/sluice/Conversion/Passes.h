//===- Passes.h - Sluice conversion passes ----------------------*- C++ -*-===//

#ifndef SLUICE_CONVERSION_PASSES_H
#define SLUICE_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::sluice {

#define GEN_PASS_DECL
#include "sluice/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "sluice/Conversion/Passes.h.inc"

} // namespace mlir::sluice

#endif // SLUICE_CONVERSION_PASSES_H
