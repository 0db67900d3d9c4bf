//===- ExpandKernelMath.cpp - kernel math without libdevice ---------------===//
//
// convert-gpu-to-nvvm turns math ops into calls to CUDA's libdevice
// (__nv_expf, ...), which only a CUDA toolkit provides at build time. f32
// functions are expanded here into MLIR's polynomial approximations (a few
// ulp, the ones its CPU code generators use) and the operations NVPTX
// selects directly become LLVM intrinsics, so that kernels of f32 programs
// build anywhere.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/ParallelLoopsToGPU/ParallelLoopsToGPU.h"
#include "sluice/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_EXPANDKERNELMATH
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// A math op as a call of the LLVM intrinsic NVPTX selects for it
/// (`llvm.fabs.f32`, ...). A call_intrinsic rather than the LLVM dialect's
/// own op: convert-gpu-to-nvvm insists on lowering those to libdevice.
template <typename MathOp> struct MathToIntrinsic : OpRewritePattern<MathOp> {
  MathToIntrinsic(MLIRContext *context, StringRef intrinsic)
      : OpRewritePattern<MathOp>(context), intrinsic(intrinsic) {}

  LogicalResult matchAndRewrite(MathOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!type.isF32() && !type.isF64())
      return rewriter.notifyMatchFailure(op, "not a scalar f32 or f64");
    std::string name = (intrinsic + (type.isF32() ? ".f32" : ".f64")).str();
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, type, rewriter.getStringAttr(name), op->getOperands());
    return success();
  }

  StringRef intrinsic;
};

struct ExpandKernelMathPass
    : sluice::impl::ExpandKernelMathBase<ExpandKernelMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateExpandKernelMathPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

void mlir::sluice::populateExpandKernelMathPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  // Powers as exp and log, then f32 functions as polynomials.
  math::populateExpansionPatterns(patterns, {"powf", "fpowi"});
  populateMathPolynomialApproximationPatterns(patterns,
                                              [](StringRef) { return true; });
  // What NVPTX selects itself, for f32 and f64; the rest (f64 functions)
  // is left to convert-gpu-to-nvvm.
  patterns.add<MathToIntrinsic<math::AbsFOp>>(context, "llvm.fabs");
  patterns.add<MathToIntrinsic<math::SqrtOp>>(context, "llvm.sqrt");
  patterns.add<MathToIntrinsic<math::FmaOp>>(context, "llvm.fma");
  patterns.add<MathToIntrinsic<math::FloorOp>>(context, "llvm.floor");
  patterns.add<MathToIntrinsic<math::CeilOp>>(context, "llvm.ceil");
  patterns.add<MathToIntrinsic<math::CopySignOp>>(context, "llvm.copysign");
  patterns.add<MathToIntrinsic<math::RoundEvenOp>>(context, "llvm.roundeven");
  patterns.add<MathToIntrinsic<math::TruncOp>>(context, "llvm.trunc");
}
