//===- LoopSlices.h - recomputing a loop body's values for another iteration //
//
// Passes that start work for a later iteration of an `scf.for` (the next
// batch's gather, the next batch's sample) recompute that iteration's
// operands by cloning the pure ops of the body they come from, with the
// induction variable replaced.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_DIALECT_SLUICE_TRANSFORMS_LOOPSLICES_H
#define SLUICE_DIALECT_SLUICE_TRANSFORMS_LOOPSLICES_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

namespace mlir::sluice {

/// The ops of `loop`'s body that `values` depend on, in body order. Fails
/// if one of them has effects or regions (cloning it would not be safe), or
/// if they read an iteration argument (its value at another iteration is
/// not known here).
FailureOr<SmallVector<Operation *>> pureSlice(scf::ForOp loop,
                                              ValueRange values);

/// Clones `slice` with the loop's induction variable replaced by `iv`;
/// returns the clones of `values`.
SmallVector<Value> cloneSlice(OpBuilder &builder, ArrayRef<Operation *> slice,
                              scf::ForOp loop, Value iv, ValueRange values);

} // namespace mlir::sluice

#endif // SLUICE_DIALECT_SLUICE_TRANSFORMS_LOOPSLICES_H
