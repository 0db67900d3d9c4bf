//===- SluiceDialect.h - The sluice dialect ---------------------*- C++ -*-===//

#ifndef SLUICE_DIALECT_SLUICE_IR_SLUICEDIALECT_H
#define SLUICE_DIALECT_SLUICE_IR_SLUICEDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "sluice/Dialect/Sluice/IR/SluiceDialect.h.inc"

#endif // SLUICE_DIALECT_SLUICE_IR_SLUICEDIALECT_H
