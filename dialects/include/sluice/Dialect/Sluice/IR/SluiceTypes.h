//===- SluiceTypes.h - sluice types and attributes --------------*- C++ -*-===//

#ifndef SLUICE_DIALECT_SLUICE_IR_SLUICETYPES_H
#define SLUICE_DIALECT_SLUICE_IR_SLUICETYPES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"

#include "sluice/Dialect/Sluice/IR/SluiceEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "sluice/Dialect/Sluice/IR/SluiceAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "sluice/Dialect/Sluice/IR/SluiceTypes.h.inc"

#endif // SLUICE_DIALECT_SLUICE_IR_SLUICETYPES_H
