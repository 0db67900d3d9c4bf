//===- SluiceOps.h - sluice operations --------------------------*- C++ -*-===//

#ifndef SLUICE_DIALECT_SLUICE_IR_SLUICEOPS_H
#define SLUICE_DIALECT_SLUICE_IR_SLUICEOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "sluice/Dialect/Sluice/IR/SluiceDialect.h"
#include "sluice/Dialect/Sluice/IR/SluiceTypes.h"

#define GET_OP_CLASSES
#include "sluice/Dialect/Sluice/IR/SluiceOps.h.inc"

namespace mlir::sluice {

/// Whether `op` belongs to family 0, the ops a front end's programs use
/// around the techniques (parameters, data, sampling, training).
bool isFrontEndOp(Operation *op);

/// A location as run-time messages show it: "file:line:col", and for code
/// inlined from a call, "file:line:col (called from file:line:col)".
std::string describeLocation(Location loc);

} // namespace mlir::sluice

#endif // SLUICE_DIALECT_SLUICE_IR_SLUICEOPS_H
