//===- SampleAhead.cpp - sample the next batch while this one trains ------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "LoopSlices.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_SAMPLEAHEAD
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// Starts `sample`'s next-iteration counterpart right after it; fails
/// (changing nothing) when the operands cannot be recomputed for it.
LogicalResult sampleAhead(scf::ForOp loop, SampleOp sample) {
  FailureOr<SmallVector<Operation *>> slice =
      pureSlice(loop, sample->getOperands());
  if (failed(slice))
    return failure();
  OpBuilder builder(sample->getContext());
  builder.setInsertionPointAfter(sample);
  Location loc = sample.getLoc();
  Value next = arith::AddIOp::create(builder, loc, loop.getInductionVar(),
                                     loop.getStep());
  Value hasNext = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::slt,
                                        next, loop.getUpperBound());
  auto ifNext = scf::IfOp::create(builder, loc, hasNext, false);
  builder.setInsertionPointToStart(ifNext.thenBlock());
  SmallVector<Value> operands =
      cloneSlice(builder, *slice, loop, next, sample->getOperands());
  // The sample's location is the key the runtime matches it by.
  SampleAheadOp::create(builder, loc, operands[0], operands[1], operands[2],
                        operands[3]);
  return success();
}

struct SampleAheadPass : sluice::impl::SampleAheadBase<SampleAheadPass> {
  void runOnOperation() override {
    SmallVector<std::pair<scf::ForOp, SampleOp>> candidates;
    getOperation()->walk([&](scf::ForOp loop) {
      // Only where the next iteration comes soon: a loop around another
      // loop (the epochs around the batches) would keep the next sample's
      // blocks for a whole inner loop, and its sampling would hold up the
      // inner loop's own.
      bool innermost = !loop.getBody()
                            ->walk([](Operation *op) {
                              return llvm::isa<LoopLikeOpInterface>(op)
                                         ? WalkResult::interrupt()
                                         : WalkResult::advance();
                            })
                            .wasInterrupted();
      if (!innermost)
        return;
      for (auto sample : loop.getBody()->getOps<SampleOp>())
        candidates.push_back({loop, sample});
    });
    for (auto [loop, sample] : candidates)
      (void)sampleAhead(loop, sample);
  }
};

} // namespace
