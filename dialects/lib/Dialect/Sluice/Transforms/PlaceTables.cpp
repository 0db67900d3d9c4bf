//===- PlaceTables.cpp - decide where feature tables live -----------------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_PLACETABLES
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// Whether every use of the table reads rows from it (so that its type may
/// change without changing an interface).
bool onlyGathered(Value table) {
  return llvm::all_of(table.getUsers(), [](Operation *user) {
    return llvm::isa<GatherOp, GatherIntoOp, FieldOp>(user);
  });
}

struct PlaceTablesPass : sluice::impl::PlaceTablesBase<PlaceTablesPass> {
  using Base::Base;

  void runOnOperation() override {
    // A schedule places a table however the program reaches it: a field read
    // again (in an inlined function, through another name) takes the
    // placement another read of the same field of the same object has.
    llvm::DenseMap<std::pair<Value, StringAttr>, Placement> given;
    getOperation().walk([&](FieldOp field) {
      auto table = llvm::dyn_cast<TableType>(field.getResult().getType());
      if (table && table.getPlacement() != Placement::Auto)
        given.try_emplace({field.getObject(), field.getFieldAttr()},
                          table.getPlacement());
    });
    getOperation().walk([&](Operation *op) {
      if (!llvm::isa<MakeTableOp, FieldOp>(op) || op->getNumResults() != 1)
        return;
      Value result = op->getResult(0);
      auto table = llvm::dyn_cast<TableType>(result.getType());
      if (!table || table.getPlacement() != Placement::Auto)
        return;
      if (!onlyGathered(result)) {
        op->emitWarning("table ")
            << table
            << " leaves its function, so its placement stays undecided";
        return;
      }
      if (auto field = llvm::dyn_cast<FieldOp>(op)) {
        auto found = given.find({field.getObject(), field.getFieldAttr()});
        if (found != given.end()) {
          result.setType(table.withPlacement(found->second));
          return;
        }
      }
      std::optional<int64_t> rowBytes = table.getRowBytes();
      bool fits = rowBytes && !table.isDynamicDim(0) &&
                  table.getDimSize(0) * *rowBytes <= deviceBudget;
      Placement placement = fits       ? Placement::Device
                            : zeroCopy ? Placement::HostZeroCopy
                                       : Placement::HostStaged;
      result.setType(table.withPlacement(placement));
    });
  }
};

} // namespace
