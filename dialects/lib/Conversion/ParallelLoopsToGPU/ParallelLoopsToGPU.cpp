//===- ParallelLoopsToGPU.cpp - scf.parallel to grid-stride kernels -------===//
//
// Upstream's gpu-map-parallel-loops puts each dimension of a parallel loop
// that is not nested in another on the grid, one thread per block; tiling
// first would fix that per loop shape. Every loop here instead becomes one
// kind of kernel: blocks of 256 threads over the flattened iteration space
// with a grid-stride loop, innermost dimension fastest, so that neighbouring
// threads touch neighbouring elements whatever the loop's shape.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/CallInterfaces.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_CONVERTPARALLELLOOPSTOGPU
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// Marks the loops `marked-only` converts.
constexpr llvm::StringLiteral kOnGpuAttrName = "sluice.on_gpu";

struct ConvertParallelLoopsToGPUPass
    : sluice::impl::ConvertParallelLoopsToGPUBase<
          ConvertParallelLoopsToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp loop) {
      if ((!markedOnly || loop->hasAttr(kOnGpuAttrName)) &&
          !loop->getParentOfType<scf::ParallelOp>() &&
          !loop->getParentOfType<gpu::LaunchOp>() &&
          !loop->getParentOfType<gpu::GPUModuleOp>() &&
          loop->getParentOfType<func::FuncOp>())
        loops.push_back(loop);
    });
    for (scf::ParallelOp loop : loops) {
      if (!loop.getInitVals().empty()) {
        loop.emitOpError("with reductions of its own cannot run on the GPU "
                         "yet; reductions are expected inside the body");
        return signalPassFailure();
      }
      if (runsOnDevice(loop))
        launch(loop);
    }
  }

  /// Whether a kernel can run the loop: no calls (a run-time check that
  /// reports a bad label calls into the runtime) and no allocation. Others
  /// stay on the host, on managed memory.
  static bool runsOnDevice(scf::ParallelOp loop) {
    return !loop.getRegion()
                .walk([](Operation *op) {
                  return llvm::isa<CallOpInterface, memref::AllocOp,
                                   memref::AllocaOp, memref::DeallocOp>(op)
                             ? WalkResult::interrupt()
                             : WalkResult::advance();
                })
                .wasInterrupted();
  }

  void launch(scf::ParallelOp loop) {
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    auto constant = [&](int64_t value) -> Value {
      return arith::ConstantIndexOp::create(b, loc, value);
    };
    Value zero = constant(0), one = constant(1);
    // Each dimension's trip count (none when negative) and their product.
    unsigned rank = loop.getNumLoops();
    SmallVector<Value> trips(rank);
    Value total = one;
    for (unsigned d = 0; d < rank; ++d) {
      Value span = arith::SubIOp::create(b, loc, loop.getUpperBound()[d],
                                         loop.getLowerBound()[d]);
      trips[d] = arith::MaxSIOp::create(
          b, loc, arith::CeilDivSIOp::create(b, loc, span, loop.getStep()[d]),
          zero);
      total = arith::MulIOp::create(b, loc, total, trips[d]);
    }
    // At least one block (a launch of none is an error), at most maxBlocks:
    // the grid-stride loop covers the rest.
    Value threads = constant(blockSize);
    Value blocks = arith::CeilDivSIOp::create(b, loc, total, threads);
    blocks = arith::MinSIOp::create(b, loc, blocks, constant(maxBlocks));
    blocks = arith::MaxSIOp::create(b, loc, blocks, one);
    auto kernel =
        gpu::LaunchOp::create(b, loc, blocks, one, one, threads, one, one);

    OpBuilder in = OpBuilder::atBlockBegin(&kernel.getBody().front());
    Value first = arith::AddIOp::create(
        in, loc,
        arith::MulIOp::create(in, loc, kernel.getBlockIds().x, threads),
        kernel.getThreadIds().x);
    Value stride =
        arith::MulIOp::create(in, loc, kernel.getGridSize().x, threads);
    auto strided = scf::ForOp::create(in, loc, first, total, stride);
    gpu::TerminatorOp::create(in, loc);

    // The flat position to one induction variable per dimension, the last
    // dimension fastest.
    OpBuilder body = OpBuilder::atBlockBegin(strided.getBody());
    IRMapping mapping;
    Value rest = strided.getInductionVar();
    for (int d = int(rank) - 1; d >= 0; --d) {
      // What is left for the first dimension is below its trip count.
      Value position =
          d == 0 ? rest
                 : (Value)arith::RemSIOp::create(body, loc, rest, trips[d]);
      if (d > 0)
        rest = arith::DivSIOp::create(body, loc, rest, trips[d]);
      Value iv = arith::AddIOp::create(
          body, loc, loop.getLowerBound()[d],
          arith::MulIOp::create(body, loc, position, loop.getStep()[d]));
      mapping.map(loop.getInductionVars()[d], iv);
    }
    for (Operation &op : loop.getBody()->without_terminator())
      body.clone(op, mapping);
    loop.erase();
  }
};

} // namespace
