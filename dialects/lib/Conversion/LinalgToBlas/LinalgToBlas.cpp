//===- LinalgToBlas.cpp - f32 matmuls on buffers to BLAS ------------------===//

#include "sluice/Conversion/Passes.h"
#include "sluice/Conversion/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::sluice {
#define GEN_PASS_DEF_CONVERTLINALGTOBLAS
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// A rank-2 f32 buffer whose rows are contiguous.
bool hasContiguousF32Rows(Value value) {
  auto type = llvm::dyn_cast<MemRefType>(value.getType());
  if (!type || type.getRank() != 2 || !type.getElementType().isF32())
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return strides[1] == 1;
}

struct Operand {
  Value address;       // of element [0, 0]
  Value leadingStride; // elements between rows, i64
};

Operand describe(OpBuilder &b, Location loc, Value buffer) {
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
  Value stride = arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                            metadata.getStrides()[0]);
  return {bufferAddress(b, loc, buffer), stride};
}

/// Which operands a matmul reads transposed, if its maps are the default
/// or its A and/or B transposed (what sluice-fold-transpose-into-matmul
/// makes); nothing for any other maps.
std::optional<std::pair<bool, bool>> transposedOperands(linalg::MatmulOp op) {
  if (!op.hasUserDefinedMaps())
    return std::pair{false, false};
  MLIRContext *context = op.getContext();
  AffineExpr m, n, k;
  bindDims(context, m, n, k);
  auto map = [&](ArrayRef<AffineExpr> results) {
    return AffineMap::get(3, 0, results, context);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps.size() != 3 || maps[2] != map({m, n}))
    return std::nullopt;
  bool transA = maps[0] == map({k, m}), transB = maps[1] == map({n, k});
  if ((!transA && maps[0] != map({m, k})) ||
      (!transB && maps[1] != map({k, n})))
    return std::nullopt;
  return std::pair{transA, transB};
}

struct ConvertLinalgToBlasPass
    : sluice::impl::ConvertLinalgToBlasBase<ConvertLinalgToBlasPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::MatmulOp> matmuls;
    module.walk([&](linalg::MatmulOp op) {
      if (op.hasPureBufferSemantics() && transposedOperands(op) &&
          llvm::all_of(op->getOperands(), hasContiguousF32Rows))
        matmuls.push_back(op);
    });
    for (linalg::MatmulOp op : matmuls) {
      auto [transA, transB] = *transposedOperands(op);
      OpBuilder b(op);
      Location loc = op.getLoc();
      Type i64 = b.getI64Type(), index = b.getIndexType();
      Value a = op.getDpsInputs()[0], bMatrix = op.getDpsInputs()[1],
            c = op.getDpsInits()[0];
      auto size = [&](Value buffer, int64_t dim) -> Value {
        return arith::IndexCastOp::create(
            b, loc, i64, memref::DimOp::create(b, loc, buffer, dim));
      };
      auto flag = [&](bool set) -> Value {
        return arith::ConstantIntOp::create(b, loc, i64, set ? 1 : 0);
      };
      Operand pa = describe(b, loc, a), pb = describe(b, loc, bMatrix),
              pc = describe(b, loc, c);
      func::FuncOp function = declareRuntimeFunction(
          b, module, callee,
          b.getFunctionType(
              {i64, i64, i64, index, i64, i64, index, i64, i64, index, i64},
              {}));
      // M and N from C, K from A (its columns, or its rows when transposed).
      func::CallOp::create(
          b, loc, function,
          ValueRange{size(c, 0), size(c, 1), size(a, transA ? 0 : 1),
                     pa.address, pa.leadingStride, flag(transA), pb.address,
                     pb.leadingStride, flag(transB), pc.address,
                     pc.leadingStride});
      op.erase();
    }
  }
};

} // namespace
