//===- OverlapTransfers.cpp - pipeline gathers with compute ---------------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "LoopSlices.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_OVERLAPTRANSFERS
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// Whether `op` may write `buffer`: a known write effect on it, or effects
/// it does not declare (a call, say).
bool mayWrite(Operation *op, Value buffer) {
  auto effects = llvm::dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return !isPure(op);
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [&](const MemoryEffects::EffectInstance &e) {
    return llvm::isa<MemoryEffects::Write>(e.getEffect()) &&
           (!e.getValue() || e.getValue() == buffer);
  });
}

/// A second buffer like `buffer`, made the same way right after it. An
/// asynchronous device allocation is chained after the original (its token
/// then stands for both, and whatever waited for the original waits for the
/// pair): a second wait on the same stream would release that stream twice,
/// after which two "new" streams are one and the pipeline's gather and
/// compute serialize (measured: no overlap at all with device buffers).
FailureOr<Value> cloneBuffer(OpBuilder &builder, Value buffer) {
  Operation *def = buffer.getDefiningOp();
  if (!def || !llvm::isa<memref::AllocOp, memref::AllocaOp, gpu::AllocOp>(def))
    return failure();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfter(def);
  Operation *clone = builder.clone(*def);
  if (auto alloc = llvm::dyn_cast<gpu::AllocOp>(clone))
    if (Value token = llvm::cast<gpu::AllocOp>(def).getAsyncToken()) {
      alloc.getAsyncDependenciesMutable().assign(ValueRange{token});
      token.replaceAllUsesExcept(alloc.getAsyncToken(), alloc);
    }
  return clone->getResult(0);
}

/// Pipelines one gather of `loop`; fails (changing nothing) when the loop
/// does not have the shape the pass handles.
LogicalResult pipeline(scf::ForOp loop, GatherIntoOp gather) {
  if (gather.getAsyncToken() || !gather.getAsyncDependencies().empty() ||
      gather.getStream() || gather->getBlock() != loop.getBody() ||
      loop.getNumResults() != 0)
    return failure();
  Value dest = gather.getDest();
  if (loop->isAncestor(dest.getParentBlock()->getParentOp()) ||
      loop.getBody() == dest.getParentBlock())
    return failure();
  auto table = gather.getSourceTable();
  if (table.getPlacement() == Placement::Auto ||
      table.getPlacement() == Placement::HostStaged)
    return failure();
  // In the body, nothing may use the buffer before the gather (it would see
  // the previous batch). After the loop, the last batch may sit in either
  // buffer, so only freeing it is allowed (the twin is freed alongside).
  SmallVector<Operation *> frees;
  for (Operation *user : dest.getUsers()) {
    if (user == gather)
      continue;
    if (loop->isAncestor(user)) {
      Operation *inBody = loop.getBody()->findAncestorOpInBlock(*user);
      if (inBody->isBeforeInBlock(gather))
        return failure();
      continue;
    }
    if (user->getBlock() == loop->getBlock() && user->isBeforeInBlock(loop))
      continue;
    if (!llvm::isa<memref::DeallocOp, gpu::DeallocOp>(user))
      return failure();
    frees.push_back(user);
  }
  FailureOr<SmallVector<Operation *>> slice =
      pureSlice(loop, ValueRange{gather.getIndices()});
  if (failed(slice))
    return failure();
  // Reading the next batch's indices early is only right if nothing in the
  // loop writes them: the buffers the indices come from may be used in the
  // body by the index computation and the gather alone.
  llvm::SmallPtrSet<Operation *, 8> allowed(slice->begin(), slice->end());
  allowed.insert(gather);
  SmallVector<Value> roots;
  if (!loop->isAncestor(gather.getIndices().getParentBlock()->getParentOp()))
    roots.push_back(gather.getIndices());
  // Nor may the loop write the table's rows (embedding updates, say).
  if (auto made = gather.getSource().getDefiningOp<MakeTableOp>())
    roots.push_back(made.getBuffer());
  else if (llvm::isa<MemRefType>(gather.getSource().getType()))
    roots.push_back(gather.getSource());
  for (Operation *op : *slice)
    for (Value operand : op->getOperands())
      if (llvm::isa<MemRefType>(operand.getType()) &&
          !loop->isAncestor(operand.getParentBlock()->getParentOp()))
        roots.push_back(operand);
  for (Value root : roots)
    for (Operation *user : root.getUsers())
      if (loop->isAncestor(user) && !allowed.contains(user) &&
          mayWrite(user, root))
        return failure();

  OpBuilder builder(loop);
  Location loc = gather.getLoc();
  FailureOr<Value> second = cloneBuffer(builder, dest);
  if (failed(second))
    return failure();

  // Prologue: the gather stream, and the first batch's gather on it.
  builder.setInsertionPoint(loop);
  Value stream =
      StreamCreateOp::create(builder, loc, StreamType::get(loop.getContext()));
  auto gatherOn = [&](OpBuilder &b, Value indices, Value into) {
    GatherIntoOp::create(b, loc, /*asyncToken=*/Type(), ValueRange{}, stream,
                         gather.getSource(), indices, into,
                         gather.getAlignmentAttr());
  };
  // Only if the loop runs at all: the index computation may not be valid
  // for a loop with no iterations.
  Value runs =
      arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::slt,
                            loop.getLowerBound(), loop.getUpperBound());
  auto ifRuns = scf::IfOp::create(builder, loc, runs, false);
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(ifRuns.thenBlock());
    gatherOn(builder,
             cloneSlice(builder, *slice, loop, loop.getLowerBound(),
                        gather.getIndices())
                 .front(),
             dest);
  }

  // The loop now carries the two buffers.
  auto newLoop = scf::ForOp::create(builder, loop.getLoc(),
                                    loop.getLowerBound(), loop.getUpperBound(),
                                    loop.getStep(), ValueRange{dest, *second});
  Block *body = newLoop.getBody();
  Value current = body->getArgument(1);
  Value next = body->getArgument(2);
  builder.setInsertionPointToStart(body);

  // This batch has landed once everything issued on the stream has.
  StreamSyncOp::create(builder, loc, stream);

  // Issue the next batch's gather into the other buffer.
  Value iv = newLoop.getInductionVar();
  Value nextIv = arith::AddIOp::create(builder, loc, iv, newLoop.getStep());
  Value hasNext = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::slt,
                                        nextIv, newLoop.getUpperBound());
  auto ifNext = scf::IfOp::create(builder, loc, hasNext, false);
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(ifNext.thenBlock());
    gatherOn(
        builder,
        cloneSlice(builder, *slice, loop, nextIv, gather.getIndices()).front(),
        next);
  }

  // The old body, minus the gather, reading the current buffer.
  IRMapping mapping;
  mapping.map(loop.getInductionVar(), iv);
  mapping.map(dest, current);
  for (Operation &op : loop.getBody()->without_terminator())
    if (&op != gather.getOperation())
      builder.clone(op, mapping); // nested uses of the buffer remap too
  scf::YieldOp::create(builder, loc, ValueRange{next, current});

  // Nothing is in flight after the last iteration; release the stream.
  builder.setInsertionPointAfter(newLoop);
  StreamDestroyOp::create(builder, loc, stream);
  for (Operation *free : frees) {
    builder.setInsertionPointAfter(free);
    if (auto gpuFree = llvm::dyn_cast<gpu::DeallocOp>(free)) {
      // Device memory: free the twin the same way, after the same
      // dependencies, and wait for it if the original is asynchronous.
      IRMapping twin;
      twin.map(gpuFree.getMemref(), *second);
      auto clone = llvm::cast<gpu::DeallocOp>(builder.clone(*free, twin));
      if (Value token = clone.getAsyncToken())
        gpu::WaitOp::create(builder, free->getLoc(), Type(), ValueRange{token});
      continue;
    }
    memref::DeallocOp::create(builder, free->getLoc(), *second);
  }
  loop.erase();
  return success();
}

struct OverlapTransfersPass
    : sluice::impl::OverlapTransfersBase<OverlapTransfersPass> {
  void runOnOperation() override {
    SmallVector<std::pair<scf::ForOp, GatherIntoOp>> candidates;
    getOperation()->walk([&](scf::ForOp loop) {
      for (auto gather : loop.getBody()->getOps<GatherIntoOp>()) {
        candidates.push_back({loop, gather});
        break; // one gather per loop
      }
    });
    for (auto [loop, gather] : candidates)
      (void)pipeline(loop, gather);
  }
};

} // namespace
