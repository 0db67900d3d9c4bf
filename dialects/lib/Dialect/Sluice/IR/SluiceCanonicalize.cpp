//===- SluiceCanonicalize.cpp - sluice canonicalization patterns ----------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <map>

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// Removes an alignment attribute that cannot change any thread's reads: the
/// rows of the table are a multiple of the request size, or too short to
/// straddle more than the unavoidable boundary.
template <typename GatherLikeOp>
struct DropUnneededAlignment : OpRewritePattern<GatherLikeOp> {
  using OpRewritePattern<GatherLikeOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(GatherLikeOp op,
                                PatternRewriter &rewriter) const override {
    AlignmentAttr alignment = op.getAlignmentAttr();
    auto table = llvm::dyn_cast<TableType>(op.getSource().getType());
    if (!alignment || !table)
      return failure();
    std::optional<int64_t> rowBytes = table.getRowBytes();
    if (!rowBytes || alignment.isUsefulFor(*rowBytes))
      return failure();
    rewriter.modifyOpInPlace(op, [&] { op.removeAlignmentAttr(); });
    return success();
  }
};

/// A gather with a statically empty index list produces an empty tensor.
struct EmptyGather : OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GatherOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getIndices().getType().getDimSize(0) != 0)
      return failure();
    RankedTensorType resultType = op.getResult().getType();
    SmallVector<int64_t> shape(resultType.getShape());
    shape[0] = 0;
    if (ShapedType::isDynamicShape(shape))
      return failure();
    Value empty = tensor::EmptyOp::create(rewriter, op.getLoc(), shape,
                                          resultType.getElementType());
    if (empty.getType() != resultType)
      empty = tensor::CastOp::create(rewriter, op.getLoc(), resultType, empty);
    rewriter.replaceOp(op, empty);
    return success();
  }
};

/// Sorts and de-duplicates constant indices at compile time.
struct ConstantSortUnique : OpRewritePattern<SortUniqueOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SortUniqueOp op,
                                PatternRewriter &rewriter) const override {
    DenseIntElementsAttr indices;
    if (!matchPattern(op.getIndices(), m_Constant(&indices)))
      return failure();
    std::map<APInt, int64_t, bool (*)(const APInt &, const APInt &)> rank(
        [](const APInt &a, const APInt &b) { return a.slt(b); });
    for (const APInt &value : indices.getValues<APInt>())
      rank.emplace(value, 0);
    SmallVector<APInt> unique;
    for (auto &[value, position] : rank) {
      position = unique.size();
      unique.push_back(value);
    }
    auto inverseType = llvm::cast<RankedTensorType>(op.getInverse().getType());
    Type inverseElement = inverseType.getElementType();
    unsigned width = inverseElement.isIndex()
                         ? IndexType::kInternalStorageBitWidth
                         : inverseElement.getIntOrFloatBitWidth();
    SmallVector<APInt> inverse;
    for (const APInt &value : indices.getValues<APInt>())
      inverse.emplace_back(width, rank.at(value));

    auto materialize = [&](Value result, ArrayRef<APInt> values) -> Value {
      auto type = llvm::cast<RankedTensorType>(result.getType());
      auto staticType = RankedTensorType::get(
          {static_cast<int64_t>(values.size())}, type.getElementType());
      Value constant = arith::ConstantOp::create(
          rewriter, op.getLoc(), DenseElementsAttr::get(staticType, values));
      if (staticType == type)
        return constant;
      return tensor::CastOp::create(rewriter, op.getLoc(), type, constant);
    };
    Value uniqueValue = materialize(op.getUnique(), unique);
    Value inverseValue = materialize(op.getInverse(), inverse);
    rewriter.replaceOp(op, {uniqueValue, inverseValue});
    return success();
  }
};

/// Recording a batch's loss twice keeps only the later value.
struct DropOverwrittenLoss : OpRewritePattern<RecordLossOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RecordLossOp op,
                                PatternRewriter &rewriter) const override {
    auto earlier = op.getLosses().getDefiningOp<RecordLossOp>();
    if (!earlier || !sameBatch(earlier.getBatch(), op.getBatch()))
      return failure();
    rewriter.modifyOpInPlace(
        op, [&] { op.getLossesMutable().assign(earlier.getLosses()); });
    return success();
  }

  static bool sameBatch(Value a, Value b) {
    if (a == b)
      return true;
    APInt x, y;
    return matchPattern(a, m_ConstantInt(&x)) &&
           matchPattern(b, m_ConstantInt(&y)) && x == y;
  }
};

} // namespace

void GatherOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<DropUnneededAlignment<GatherOp>, EmptyGather>(context);
}

void GatherIntoOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<DropUnneededAlignment<GatherIntoOp>>(context);
}

void SortUniqueOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<ConstantSortUnique>(context);
}

void RecordLossOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<DropOverwrittenLoss>(context);
}
