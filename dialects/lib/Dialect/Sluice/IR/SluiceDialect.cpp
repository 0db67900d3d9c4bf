//===- SluiceDialect.cpp - The sluice dialect -----------------------------===//

#include "sluice/Dialect/Sluice/IR/SluiceDialect.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"

using namespace mlir;
using namespace mlir::sluice;

#include "sluice/Dialect/Sluice/IR/SluiceDialect.cpp.inc"

void SluiceDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "sluice/Dialect/Sluice/IR/SluiceOps.cpp.inc"
      >();
  registerTypesAndAttributes();
}

Operation *SluiceDialect::materializeConstant(OpBuilder &builder,
                                              Attribute value, Type type,
                                              Location loc) {
  // Strings are sluice.string; folds produce tensor and scalar constants
  // otherwise, which arith.constant holds.
  if (llvm::isa<StrType>(type)) {
    auto text = llvm::dyn_cast<StringAttr>(value);
    return text ? StringOp::create(builder, loc, type, text) : nullptr;
  }
  return arith::ConstantOp::materialize(builder, value, type, loc);
}
