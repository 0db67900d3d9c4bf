//===- SluiceToCPU.cpp - sluice to runtime calls --------------------------===//

#include "sluice/Conversion/SluiceToCPU/SluiceToCPU.h"
#include "sluice/Conversion/Passes.h"
#include "sluice/Conversion/RuntimeCalls.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_CONVERTSLUICETOCPU
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

constexpr llvm::StringLiteral kGatherFunction = "sluice_rt_cpu_gather";

struct MakeTableToBuffer : OpConversionPattern<MakeTableOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MakeTableOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getBuffer());
    return success();
  }
};

struct GatherIntoToCall : OpConversionPattern<GatherIntoOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherIntoOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    replaceWithRuntimeGather(rewriter, op, "sluice_rt_cpu_gather",
                             adaptor.getSource(), adaptor.getIndices(),
                             adaptor.getDest());
    return success();
  }
};

/// Rejects the gathers the CPU lowering cannot run, before converting.
LogicalResult checkLowerable(GatherIntoOp op) {
  if (op.getAsyncToken() || !op.getAsyncDependencies().empty() ||
      op.getStream())
    return op.emitOpError("asynchronous gathers need the CUDA target");
  return checkRuntimeGather(op, "the CPU lowering");
}

struct ConvertSluiceToCPUPass
    : sluice::impl::ConvertSluiceToCPUBase<ConvertSluiceToCPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (failed(rejectFrontEndOps(getOperation())))
      return signalPassFailure();
    WalkResult checked = getOperation().walk([](Operation *op) {
      if (auto gather = llvm::dyn_cast<GatherIntoOp>(op))
        return failed(checkLowerable(gather)) ? WalkResult::interrupt()
                                              : WalkResult::advance();
      if (failed(checkSortUniqueInto(op)))
        return WalkResult::interrupt();
      if (llvm::isa<SluiceDialect>(op->getDialect()) &&
          !llvm::isa<MakeTableOp, SortUniqueIntoOp>(op)) {
        op->emitOpError("has no lowering to the CPU yet");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (checked.wasInterrupted())
      return signalPassFailure();

    MLIRContext *context = &getContext();
    TableTypeConverter converter;
    RewritePatternSet patterns(context);
    populateSluiceToCPUPatterns(converter, patterns);
    populateSortUniqueIntoPattern(converter, patterns);
    ConversionTarget target(*context);
    populateTableSignatureConversion(converter, patterns, target);
    target.addIllegalDialect<SluiceDialect>();
    target.addLegalDialect<arith::ArithDialect, memref::MemRefDialect>();
    target.addLegalOp<UnrealizedConversionCastOp>();
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::sluice::populateSluiceToCPUPatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<MakeTableToBuffer, GatherIntoToCall>(converter,
                                                    patterns.getContext());
}
