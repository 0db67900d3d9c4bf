//===- Bufferize.cpp - tensors to buffers, with deallocation --------------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_BUFFERIZE
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;

namespace {

bool hasTensors(ModuleOp module) {
  WalkResult found = module.walk([](Operation *op) {
    auto isTensor = [](Type type) { return llvm::isa<TensorType>(type); };
    if (llvm::any_of(op->getResultTypes(), isTensor) ||
        llvm::any_of(op->getOperandTypes(), isTensor))
      return WalkResult::interrupt();
    for (Region &region : op->getRegions())
      for (Block &block : region)
        if (llvm::any_of(block.getArgumentTypes(), isTensor))
          return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return found.wasInterrupted();
}

struct BufferizePass : sluice::impl::BufferizeBase<BufferizePass> {
  void runOnOperation() override {
    if (!hasTensors(getOperation()))
      return;
    // A gradient left for this pass would only read "op was not
    // bufferized" (sluice-opt's lowering pipelines do not differentiate).
    WalkResult undifferentiated = getOperation().walk([](sluice::GradOp op) {
      op.emitOpError("must be expanded before bufferization: run "
                     "-sluice-autodiff first (`sluice build` does)");
      return WalkResult::interrupt();
    });
    if (undifferentiated.wasInterrupted())
      return signalPassFailure();
    OpPassManager pipeline(ModuleOp::getOperationName());
    bufferization::OneShotBufferizePassOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.functionBoundaryTypeConversion =
        bufferization::LayoutMapOption::IdentityLayoutMap;
    // A training loop carries values that are new buffers each iteration
    // (a parameter after its update, a recorded loss).
    options.allowReturnAllocsFromLoops = true;
    pipeline.addPass(bufferization::createOneShotBufferizePass(options));
    bufferization::buildBufferDeallocationPipeline(pipeline);
    pipeline.addPass(createConvertBufferizationToMemRefPass());
    pipeline.addPass(createCanonicalizerPass());
    if (failed(runPipeline(pipeline, getOperation())))
      signalPassFailure();
  }
};

} // namespace
