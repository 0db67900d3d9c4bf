//===- ConvertCopiesToLinalg.cpp - buffer copies that become kernels ------===//
//
// memref.copy lowers to a host memcpy; in a CUDA program that moves managed
// pages the kernels wrote to the host and back. As linalg.copy it lowers
// with the rest of linalg to a parallel loop, which becomes a kernel.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_CONVERTCOPIESTOLINALG
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;

namespace {

struct ConvertCopiesToLinalgPass
    : sluice::impl::ConvertCopiesToLinalgBase<ConvertCopiesToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (llvm::isa<gpu::GPUModuleOp, gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (auto copy = llvm::dyn_cast<memref::CopyOp>(op))
        copies.push_back(copy);
      return WalkResult::advance();
    });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    }
  }
};

} // namespace
