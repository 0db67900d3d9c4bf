//===- CopyConstantsToHeap.cpp - constants a kernel can read --------------===//
//
// A tensor program compiled for CUDA allocates every buffer in managed memory
// (the runtime's _mlir_memref_to_llvm_alloc), which kernels and host code
// share; constants are the exception, in the host's data section, where a
// kernel cannot read them. This pass copies each that a kernel reads into an
// allocated buffer.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_COPYCONSTANTSTOHEAP
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

struct CopyConstantsToHeapPass
    : sluice::impl::CopyConstantsToHeapBase<CopyConstantsToHeapPass> {
  void runOnOperation() override {
    for (auto function : getOperation().getOps<func::FuncOp>())
      if (!function.isExternal() && failed(copyConstants(function)))
        return signalPassFailure();
  }

  /// Whether `value`, or a view of it, is used inside a kernel.
  static bool readByKernel(Value value) {
    for (Operation *user : value.getUsers()) {
      if (user->getParentOfType<gpu::LaunchOp>())
        return true;
      if (llvm::isa<ViewLikeOpInterface>(user) &&
          llvm::any_of(user->getResults(), readByKernel))
        return true;
    }
    return false;
  }

  LogicalResult copyConstants(func::FuncOp function) {
    // Only what kernels read: the host (runtime calls given the address of
    // a message, say) reads the data section itself.
    SmallVector<memref::GetGlobalOp> globals;
    function.walk([&](memref::GetGlobalOp global) {
      if (readByKernel(global.getResult()))
        globals.push_back(global);
    });
    if (globals.empty())
      return success();
    // On entry (a constant needs nothing computed first), so that one copy
    // serves every iteration of the loops that use it.
    OpBuilder b = OpBuilder::atBlockBegin(&function.getBody().front());
    SmallVector<Value> copies;
    for (memref::GetGlobalOp global : globals) {
      Location loc = global.getLoc();
      MemRefType type = global.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity())
        return global.emitOpError("of a dynamic or strided constant cannot be "
                                  "copied to the heap");
      auto host = memref::GetGlobalOp::create(b, loc, type, global.getName());
      auto copy = memref::AllocOp::create(b, loc, type);
      memref::CopyOp::create(b, loc, host, copy);
      global.replaceAllUsesWith(copy.getResult());
      global.erase();
      copies.push_back(copy);
    }
    function.walk([&](func::ReturnOp ret) {
      OpBuilder at(ret);
      for (Value copy : copies)
        memref::DeallocOp::create(at, ret.getLoc(), copy);
    });
    return success();
  }
};

} // namespace
