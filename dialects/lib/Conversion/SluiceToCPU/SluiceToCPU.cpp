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
    Location loc = op.getLoc();
    auto table = op.getSourceTable();
    unsigned bits = table.getElementType().getIntOrFloatBitWidth();

    auto module = op->getParentOfType<ModuleOp>();
    func::FuncOp callee =
        declareRuntimeFunction(rewriter, module, kGatherFunction, 7);
    Value source = adaptor.getSource();
    auto sourceType = llvm::cast<MemRefType>(source.getType());
    Value rowBytes = arith::ConstantIndexOp::create(rewriter, loc, bits / 8);
    for (int64_t dim = 1; dim < sourceType.getRank(); ++dim)
      rowBytes = arith::MulIOp::create(
          rewriter, loc, rowBytes,
          memref::DimOp::create(rewriter, loc, source, dim));
    auto address = [&](Value buffer) {
      return bufferAddress(rewriter, loc, buffer);
    };
    Value arguments[] = {
        address(source),
        memref::DimOp::create(rewriter, loc, source, 0),
        rowBytes,
        address(adaptor.getIndices()),
        memref::DimOp::create(rewriter, loc, adaptor.getIndices(), 0),
        address(adaptor.getDest()),
        locationString(rewriter, module, loc)};
    func::CallOp::create(rewriter, loc, callee, arguments);
    rewriter.eraseOp(op);
    return success();
  }
};

/// Rejects the gathers the CPU lowering cannot run, before converting.
LogicalResult checkLowerable(GatherIntoOp op) {
  if (op.getAsyncToken() || !op.getAsyncDependencies().empty() ||
      op.getStream())
    return op.emitOpError("asynchronous gathers need the CUDA target");
  auto indicesType = llvm::cast<MemRefType>(op.getIndices().getType());
  Type indexElement = indicesType.getElementType();
  if (!indexElement.isIndex() && !indexElement.isInteger(64))
    return op.emitOpError("the CPU lowering needs i64 or index indices, but "
                          "got ")
           << indicesType;
  auto destType = llvm::cast<MemRefType>(op.getDest().getType());
  if (!indicesType.getLayout().isIdentity() ||
      !destType.getLayout().isIdentity())
    return op.emitOpError("the CPU lowering needs contiguous index and row "
                          "buffers");
  auto table = op.getSourceTable();
  if (table.getElementType().getIntOrFloatBitWidth() % 8 != 0)
    return op.emitOpError("the CPU lowering needs byte-sized elements");
  return success();
}

struct ConvertSluiceToCPUPass
    : sluice::impl::ConvertSluiceToCPUBase<ConvertSluiceToCPUPass> {
  using Base::Base;

  void runOnOperation() override {
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
