//===- CheckHostAllocations.cpp - malloc that names what it could not get -===//
//
// finalize-memref-to-llvm allocates a CPU program's buffers with `malloc`
// and uses the result unchecked, so a tensor larger than memory (a size
// from a flag, a typo in a shape) ends in a segmentation fault. Each call
// instead goes to the runtime's `sluice_rt_alloc`, which stops the program
// with the size and the allocation's source location when it gets nothing;
// a CUDA program's unified-heap allocations likewise go to
// `sluice_rt_unified_alloc`, so that their failures name the place too.
//
//===----------------------------------------------------------------------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/FunctionCallUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_CHECKHOSTALLOCATIONS
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;

namespace {

struct CheckHostAllocationsPass
    : sluice::impl::CheckHostAllocationsBase<CheckHostAllocationsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // malloc for a CPU program's buffers; the unified heap's entry point
    // for a CUDA program's.
    auto replacementOf = [](StringRef callee) -> StringRef {
      if (callee == "malloc")
        return "sluice_rt_alloc";
      if (callee == "_mlir_memref_to_llvm_alloc")
        return "sluice_rt_unified_alloc";
      return "";
    };
    SmallVector<LLVM::CallOp> calls;
    module.walk([&](LLVM::CallOp call) {
      std::optional<StringRef> callee = call.getCallee();
      if (callee && !replacementOf(*callee).empty() &&
          call.getNumOperands() == 1 && call.getNumResults() == 1)
        calls.push_back(call);
    });
    if (calls.empty())
      return;
    OpBuilder b(module.getContext());
    auto pointer = LLVM::LLVMPointerType::get(module.getContext());
    llvm::StringMap<LLVM::LLVMFuncOp> checkedFns;
    for (LLVM::CallOp call : calls) {
      StringRef name = replacementOf(*call.getCallee());
      if (checkedFns.count(name))
        continue;
      b.setInsertionPointToEnd(module.getBody());
      FailureOr<LLVM::LLVMFuncOp> checked = LLVM::lookupOrCreateFn(
          b, module, name, {call.getOperand(0).getType(), pointer}, pointer);
      if (failed(checked)) {
        module.emitError() << name << " is declared with another type";
        return signalPassFailure();
      }
      checkedFns[name] = *checked;
    }
    // One string per source location, shared by its allocations.
    llvm::StringMap<LLVM::GlobalOp> strings;
    for (LLVM::CallOp call : calls) {
      LLVM::LLVMFuncOp checked = checkedFns[replacementOf(*call.getCallee())];
      std::string where = sluice::describeLocation(call.getLoc());
      b.setInsertionPoint(call);
      Value address;
      auto found = strings.find(where);
      if (found == strings.end()) {
        std::string name =
            "__sluice_alloc_where_" + std::to_string(strings.size());
        address = LLVM::createGlobalString(call.getLoc(), b, name, where + '\0',
                                           LLVM::Linkage::Internal);
        strings[where] = module.lookupSymbol<LLVM::GlobalOp>(name);
      } else {
        address = LLVM::AddressOfOp::create(b, call.getLoc(), found->second);
      }
      auto replacement = LLVM::CallOp::create(
          b, call.getLoc(), checked, ValueRange{call.getOperand(0), address});
      call.getResult().replaceAllUsesWith(replacement.getResult());
      call.erase();
    }
  }
};

} // namespace
