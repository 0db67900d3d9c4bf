//===- FoldTransposeIntoMatmul.cpp - transposed operands as maps ----------===//

#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_FOLDTRANSPOSEINTOMATMUL
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;

namespace {

/// The input of a 2-d `linalg.transpose` that swaps the dimensions.
Value transposedFrom(Value value) {
  auto transpose = value.getDefiningOp<linalg::TransposeOp>();
  if (!transpose || !transpose.hasPureTensorSemantics() ||
      transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
    return nullptr;
  return transpose.getInput();
}

/// matmul(transpose(X), Y) -> matmul with A's map (k, m) reading X, and the
/// same for B with (n, k); the transposes die when nothing else reads them.
struct FoldTransposedOperands : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.hasUserDefinedMaps())
      return failure();
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1];
    Value fromA = transposedFrom(a), fromB = transposedFrom(b);
    if (!fromA && !fromB)
      return failure();
    MLIRContext *context = op.getContext();
    AffineExpr m, n, k;
    bindDims(context, m, n, k);
    auto map = [&](ArrayRef<AffineExpr> results) {
      return AffineMap::get(3, 0, results, context);
    };
    ArrayAttr maps = rewriter.getAffineMapArrayAttr(
        {fromA ? map({k, m}) : map({m, k}), fromB ? map({n, k}) : map({k, n}),
         map({m, n})});
    rewriter.replaceOpWithNewOp<linalg::MatmulOp>(
        op, op.getResultTypes(),
        ValueRange{fromA ? fromA : a, fromB ? fromB : b}, op.getDpsInits(),
        ArrayRef<NamedAttribute>{rewriter.getNamedAttr("indexing_maps", maps)});
    return success();
  }
};

struct FoldTransposeIntoMatmulPass
    : sluice::impl::FoldTransposeIntoMatmulBase<FoldTransposeIntoMatmulPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldTransposedOperands>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
