//===- ChainKernelLaunches.cpp - consecutive kernels on one stream --------===//
//
// A synchronous gpu.launch becomes: create a stream, launch, wait for it,
// destroy the stream. Between two kernels with nothing on the host in
// between that reads or writes memory, the wait is wasted: this pass puts
// such runs on one stream and waits once, before the first host operation
// that could see their results.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_CHAINKERNELLAUNCHES
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// Whether the host may run `op` while kernels are in flight: it touches no
/// memory (index arithmetic, sizes), or it only allocates or frees (a block
/// freed here and handed out again is next written by a kernel queued
/// behind these, or by the host after the wait).
bool mayOverlapKernels(Operation *op) {
  if (llvm::isa<memref::AllocOp, memref::DeallocOp>(op))
    return true;
  return op->getNumRegions() == 0 && isMemoryEffectFree(op) &&
         !op->hasTrait<OpTrait::IsTerminator>();
}

struct ChainKernelLaunchesPass
    : sluice::impl::ChainKernelLaunchesBase<ChainKernelLaunchesPass> {
  void runOnOperation() override {
    SmallVector<Block *> blocks;
    getOperation().walk([&](Block *block) {
      Operation *parent = block->getParentOp();
      if (!llvm::isa<gpu::LaunchOp, gpu::GPUModuleOp>(parent) &&
          !parent->getParentOfType<gpu::LaunchOp>() &&
          !parent->getParentOfType<gpu::GPUModuleOp>())
        blocks.push_back(block);
    });
    for (Block *block : blocks)
      chain(*block);
  }

  void chain(Block &block) {
    Type tokenType = gpu::AsyncTokenType::get(&getContext());
    Value stream; // the chain's last token, while kernels may be in flight
    for (Operation &op : llvm::make_early_inc_range(block)) {
      auto launch = llvm::dyn_cast<gpu::LaunchOp>(&op);
      bool synchronous = launch && !launch.getAsyncToken() &&
                         launch.getAsyncDependencies().empty();
      if (synchronous) {
        OpBuilder b(launch);
        Location loc = launch.getLoc();
        if (!stream)
          stream = gpu::WaitOp::create(b, loc, tokenType, ValueRange{})
                       .getAsyncToken();
        auto queued = gpu::LaunchOp::create(
            b, loc, launch.getGridSizeX(), launch.getGridSizeY(),
            launch.getGridSizeZ(), launch.getBlockSizeX(),
            launch.getBlockSizeY(), launch.getBlockSizeZ(),
            launch.getDynamicSharedMemorySize(), tokenType, ValueRange{stream});
        queued.getBody().takeBody(launch.getBody());
        launch.erase();
        stream = queued.getAsyncToken();
        continue;
      }
      if (!stream || mayOverlapKernels(&op))
        continue;
      // Everything else (a runtime call, a load or store, a loop, the
      // terminator) waits for the kernels first.
      OpBuilder b(&op);
      gpu::WaitOp::create(b, op.getLoc(), Type(), ValueRange{stream});
      stream = Value();
    }
  }
};

} // namespace
