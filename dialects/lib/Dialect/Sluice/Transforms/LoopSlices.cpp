//===- LoopSlices.cpp - recomputing a loop body's values for another iteration
////

#include "LoopSlices.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::sluice {

FailureOr<SmallVector<Operation *>> pureSlice(scf::ForOp loop,
                                              ValueRange values) {
  llvm::SetVector<Operation *> slice;
  SmallVector<Value> worklist(values.begin(), values.end());
  while (!worklist.empty()) {
    Value current = worklist.pop_back_val();
    if (auto argument = llvm::dyn_cast<BlockArgument>(current)) {
      if (argument.getOwner() == loop.getBody() &&
          argument != loop.getInductionVar())
        return failure();
      continue;
    }
    Operation *def = current.getDefiningOp();
    if (def->getBlock() != loop.getBody() || slice.contains(def))
      continue;
    if (!isPure(def) || def->getNumRegions() != 0)
      return failure();
    slice.insert(def);
    llvm::append_range(worklist, def->getOperands());
  }
  SmallVector<Operation *> ordered(slice.begin(), slice.end());
  llvm::sort(ordered,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ordered;
}

SmallVector<Value> cloneSlice(OpBuilder &builder, ArrayRef<Operation *> slice,
                              scf::ForOp loop, Value iv, ValueRange values) {
  IRMapping mapping;
  mapping.map(loop.getInductionVar(), iv);
  for (Operation *op : slice)
    builder.clone(*op, mapping);
  SmallVector<Value> clones;
  for (Value value : values)
    clones.push_back(mapping.lookupOrDefault(value));
  return clones;
}

} // namespace mlir::sluice
