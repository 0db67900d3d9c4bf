//===- AlignGathers.cpp - PCIe address alignment for zero-copy gathers ----===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "llvm/Support/MathExtras.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_ALIGNGATHERS
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

struct AlignGathersPass : sluice::impl::AlignGathersBase<AlignGathersPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<AlignStrategy> parsed = symbolizeAlignStrategy(strategy);
    if (!parsed) {
      getOperation()->emitError("unknown alignment strategy '")
          << static_cast<std::string>(strategy)
          << "'; expected rotate or shift";
      return signalPassFailure();
    }
    auto alignment = AlignmentAttr::getChecked(
        [&] { return getOperation()->emitError(); }, &getContext(), *parsed,
        static_cast<int64_t>(requestBytes));
    if (!alignment)
      return signalPassFailure();

    getOperation()->walk([&](Operation *op) {
      if (auto gather = llvm::dyn_cast<GatherOp>(op))
        align(gather, alignment);
      else if (auto gather = llvm::dyn_cast<GatherIntoOp>(op))
        align(gather, alignment);
    });
  }

  template <typename GatherLikeOp>
  static void align(GatherLikeOp op, AlignmentAttr alignment) {
    auto table = llvm::dyn_cast<TableType>(op.getSource().getType());
    if (!table || table.getPlacement() != Placement::HostZeroCopy ||
        op.getAlignmentAttr())
      return;
    std::optional<int64_t> rowBytes = table.getRowBytes();
    if (rowBytes && !alignment.isUsefulFor(*rowBytes))
      return;
    op.setAlignmentAttr(alignment);
  }
};

} // namespace
