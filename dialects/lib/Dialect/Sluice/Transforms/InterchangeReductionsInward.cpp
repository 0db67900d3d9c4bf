//===- InterchangeReductionsInward.cpp - parallel dimensions outermost ----===//
//
// Lowering a linalg op to loops keeps the order of its iteration domain, so a
// reduction dimension before a parallel one becomes a sequential loop around
// a parallel loop: a thread-pool call or a GPU kernel per iteration of the
// reduction. Permuting the domain so that parallel dimensions come first
// gives one parallel loop whose iterations reduce, with each output's
// accumulation order unchanged.
//
//===----------------------------------------------------------------------===//

#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_INTERCHANGEREDUCTIONSINWARD
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;

namespace {

/// The op's dimensions, parallel ones first, each group in its own order;
/// empty when that is the order they have, or when no dimension is
/// parallel (a full reduction: nothing to run in parallel).
SmallVector<unsigned> parallelFirst(linalg::LinalgOp op) {
  SmallVector<unsigned> parallel, reduction;
  for (auto [dim, type] : llvm::enumerate(op.getIteratorTypesArray()))
    (linalg::isParallelIterator(type) ? parallel : reduction).push_back(dim);
  if (parallel.empty() || reduction.empty())
    return {};
  SmallVector<unsigned> order(parallel);
  order.append(reduction);
  for (auto [position, dim] : llvm::enumerate(order))
    if (dim != position)
      return order;
  return {};
}

struct InterchangeReductions : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<unsigned> order = parallelFirst(op);
    if (order.empty())
      return failure();
    auto generic = llvm::dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic) {
      FailureOr<linalg::GenericOp> generalized =
          linalg::generalizeNamedOp(rewriter, op);
      if (failed(generalized))
        return rewriter.notifyMatchFailure(op, "cannot be generalized");
      generic = *generalized;
    }
    if (failed(linalg::interchangeGenericOp(rewriter, generic, order)))
      return rewriter.notifyMatchFailure(op, "interchange failed");
    return success();
  }
};

struct InterchangeReductionsInwardPass
    : sluice::impl::InterchangeReductionsInwardBase<
          InterchangeReductionsInwardPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<InterchangeReductions>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
