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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/CastInterfaces.h"
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

  /// Whether `value` reaches a kernel: used inside one, directly, through
  /// a view or cast, or through the values of structured control flow that
  /// carry it (a branch's result, a loop's iteration argument and result:
  /// an optimizer's zero-initialized state is a constant on one branch).
  static bool readByKernel(Value value) {
    SmallVector<Value> worklist{value};
    llvm::DenseSet<Value> seen{value};
    auto reach = [&](Value next) {
      if (seen.insert(next).second)
        worklist.push_back(next);
    };
    while (!worklist.empty()) {
      Value current = worklist.pop_back_val();
      for (OpOperand &use : current.getUses()) {
        Operation *user = use.getOwner();
        if (user->getParentOfType<gpu::LaunchOp>())
          return true;
        if (llvm::isa<ViewLikeOpInterface, CastOpInterface>(user)) {
          for (Value result : user->getResults())
            reach(result);
        } else if (llvm::isa<scf::YieldOp>(user)) {
          Operation *parent = user->getParentOp();
          unsigned index = use.getOperandNumber();
          if (index < parent->getNumResults())
            reach(parent->getResult(index));
          if (auto loop = llvm::dyn_cast<scf::ForOp>(parent))
            reach(loop.getRegionIterArgs()[index]);
        } else if (auto loop = llvm::dyn_cast<scf::ForOp>(user)) {
          if (OpResult result = loop.getTiedLoopResult(&use)) {
            reach(result);
            reach(loop.getTiedLoopRegionIterArg(&use));
          }
        } else if (llvm::isa<arith::SelectOp>(user)) {
          reach(user->getResult(0));
        }
      }
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
