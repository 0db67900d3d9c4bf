//===- ReleaseStackTemporaries.cpp - launch arguments in loops ------------===//
//
// gpu.launch_func becomes, in LLVM IR, a call whose kernel arguments go
// through a stack array allocated where the launch is. In a loop those are
// dynamic allocas that accumulate until the function returns; bracketing the
// launch with stacksave/stackrestore gives them back every iteration.
//
//===----------------------------------------------------------------------===//

#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_RELEASESTACKTEMPORARIES
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;

namespace {

/// Whether `op` runs once per iteration of some loop of its function.
bool isInLoop(Operation *op) {
  for (Operation *parent = op->getParentOp();
       parent && !llvm::isa<FunctionOpInterface>(parent);
       parent = parent->getParentOp())
    if (llvm::isa<LoopLikeOpInterface>(parent))
      return true;
  return false;
}

struct ReleaseStackTemporariesPass
    : sluice::impl::ReleaseStackTemporariesBase<ReleaseStackTemporariesPass> {
  void runOnOperation() override {
    SmallVector<gpu::LaunchFuncOp> bracketed;
    getOperation()->walk([&](gpu::LaunchFuncOp launch) {
      if (isInLoop(launch))
        bracketed.push_back(launch);
    });
    auto pointer = LLVM::LLVMPointerType::get(&getContext());
    for (gpu::LaunchFuncOp launch : bracketed) {
      OpBuilder builder(launch);
      Value stack =
          LLVM::StackSaveOp::create(builder, launch.getLoc(), pointer);
      builder.setInsertionPointAfter(launch);
      LLVM::StackRestoreOp::create(builder, launch.getLoc(), stack);
    }
  }
};

} // namespace
