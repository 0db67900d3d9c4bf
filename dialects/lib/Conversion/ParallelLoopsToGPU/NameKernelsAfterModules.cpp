//===- NameKernelsAfterModules.cpp - unique kernel names ------------------===//
//
// Outlining names every kernel of a function alike and uniquifies only the
// modules; the runtime and the driver see kernel names. Each module's only
// kernel takes the module's name.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_NAMEKERNELSAFTERMODULES
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;

namespace {

struct NameKernelsAfterModulesPass
    : sluice::impl::NameKernelsAfterModulesBase<NameKernelsAfterModulesPass> {
  void runOnOperation() override {
    // Old kernel reference -> new one.
    llvm::DenseMap<Attribute, SymbolRefAttr> renamed;
    for (auto module : getOperation().getOps<gpu::GPUModuleOp>()) {
      SmallVector<gpu::GPUFuncOp> kernels;
      for (auto function : module.getOps<gpu::GPUFuncOp>())
        if (function.isKernel())
          kernels.push_back(function);
      if (kernels.size() != 1 || kernels[0].getName() == module.getName() ||
          SymbolTable::lookupSymbolIn(module, module.getNameAttr()))
        continue;
      auto old = SymbolRefAttr::get(
          module.getNameAttr(),
          {FlatSymbolRefAttr::get(kernels[0].getNameAttr())});
      kernels[0].setName(module.getNameAttr());
      renamed[old] = SymbolRefAttr::get(
          module.getNameAttr(), {FlatSymbolRefAttr::get(module.getNameAttr())});
    }
    if (renamed.empty())
      return;
    getOperation().walk([&](gpu::LaunchFuncOp launch) {
      auto found = renamed.find(launch.getKernel());
      if (found != renamed.end())
        launch.setKernelAttr(found->second);
    });
  }
};

} // namespace
