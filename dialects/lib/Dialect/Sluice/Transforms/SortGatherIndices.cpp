//===- SortGatherIndices.cpp - gather host rows in address order ----------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_SORTGATHERINDICES
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

struct SortHostGather : OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GatherOp op,
                                PatternRewriter &rewriter) const override {
    auto table = llvm::dyn_cast<TableType>(op.getSource().getType());
    if (!table || table.getPlacement() == Placement::Device)
      return rewriter.notifyMatchFailure(op, "not a host table");
    if (op.getIndices().getDefiningOp<SortUniqueOp>())
      return rewriter.notifyMatchFailure(op, "indices already sorted");

    Location loc = op.getLoc();
    auto indicesType = op.getIndices().getType();
    auto uniqueType = RankedTensorType::get({ShapedType::kDynamic},
                                            indicesType.getElementType());
    auto inverseType =
        RankedTensorType::get(indicesType.getShape(), rewriter.getIndexType());
    auto sorted = SortUniqueOp::create(rewriter, loc, uniqueType, inverseType,
                                       op.getIndices());
    RankedTensorType resultType = op.getResult().getType();
    SmallVector<int64_t> rowsShape(resultType.getShape());
    rowsShape[0] = ShapedType::kDynamic;
    auto rowsType =
        RankedTensorType::get(rowsShape, resultType.getElementType());
    Value rows = GatherOp::create(rewriter, loc, rowsType, op.getSource(),
                                  sorted.getUnique(), op.getAlignmentAttr());
    rewriter.replaceOpWithNewOp<GatherOp>(op, resultType, rows,
                                          sorted.getInverse(), AlignmentAttr());
    return success();
  }
};

struct SortGatherIndicesPass
    : sluice::impl::SortGatherIndicesBase<SortGatherIndicesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SortHostGather>(&getContext());
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace
