//===- RunKernelsOnHost.cpp - kernels as host loops, for checking ---------===//
//
// The CUDA lowering of tensor programs can only run where there is a GPU.
// Its kernels use no shared memory and no barriers, so running every block
// and thread in turn on the host computes what the GPU would: this pass
// makes that possible, so that tests on any machine check the kernels'
// index arithmetic, the constants they read and what they write.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/ParallelLoopsToGPU/ParallelLoopsToGPU.h"
#include "sluice/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_RUNKERNELSONHOST
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

struct RunKernelsOnHostPass
    : sluice::impl::RunKernelsOnHostBase<RunKernelsOnHostPass> {
  void runOnOperation() override {
    SmallVector<Operation *> registrations;
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk([&](Operation *op) {
      if (llvm::isa<gpu::HostRegisterOp, gpu::HostUnregisterOp>(op))
        registrations.push_back(op);
      else if (auto launch = llvm::dyn_cast<gpu::LaunchOp>(op))
        launches.push_back(launch);
    });
    // Host memory needs no mapping for host loops.
    for (Operation *op : registrations)
      op->erase();
    for (gpu::LaunchOp launch : launches)
      if (failed(runOnHost(launch)))
        return signalPassFailure();
  }

  LogicalResult runOnHost(gpu::LaunchOp launch) {
    if (launch.getAsyncToken() || !launch.getAsyncDependencies().empty())
      return launch.emitOpError("is asynchronous; only synchronous launches "
                                "can be run on the host");
    if (!launch.getBody().hasOneBlock())
      return launch.emitOpError("has more than one block");
    OpBuilder b(launch);
    Location loc = launch.getLoc();
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
    gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
    IRMapping mapping;
    auto mapDims = [&](gpu::KernelDim3 arguments, gpu::KernelDim3 values) {
      mapping.map(arguments.x, values.x);
      mapping.map(arguments.y, values.y);
      mapping.map(arguments.z, values.z);
    };
    mapDims(launch.getGridSize(), grid);
    mapDims(launch.getBlockSize(), block);
    // Blocks in order, and each block's threads in order: z, y, x outermost
    // first.
    SmallVector<Value> bounds = {grid.z,  grid.y,  grid.x,
                                 block.z, block.y, block.x};
    SmallVector<Value> ids;
    Operation *outermost = nullptr;
    for (Value bound : bounds) {
      // A dimension of one needs no loop (Sluice's kernels use x only), but
      // the blocks always get one, which holds the kernel.
      if (matchPattern(bound, m_One()) && bound != grid.x) {
        ids.push_back(zero);
        continue;
      }
      auto loop = scf::ForOp::create(b, loc, zero, bound, one);
      if (!outermost)
        outermost = loop;
      ids.push_back(loop.getInductionVar());
      b.setInsertionPoint(loop.getBody()->getTerminator());
    }
    mapDims(launch.getBlockIds(), {ids[2], ids[1], ids[0]});
    mapDims(launch.getThreadIds(), {ids[5], ids[4], ids[3]});
    for (Operation &op : launch.getBody().front().without_terminator())
      b.clone(op, mapping);
    launch.erase();
    // The GPU's math (what sluice-expand-kernel-math makes of it) rather
    // than libm's, so that the host computes what the kernel would.
    RewritePatternSet patterns(&getContext());
    populateExpandKernelMathPatterns(patterns);
    return applyPatternsGreedily(outermost, std::move(patterns));
  }
};

} // namespace
