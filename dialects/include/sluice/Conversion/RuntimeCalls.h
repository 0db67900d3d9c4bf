//===- RuntimeCalls.h - calling libsluice_rt from lowered IR ----*- C++ -*-===//

#ifndef SLUICE_CONVERSION_RUNTIMECALLS_H
#define SLUICE_CONVERSION_RUNTIMECALLS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/DialectConversion.h"

#include <optional>

namespace mlir::sluice {

/// Declares `name(index x numArguments) -> (index x numResults)` at the top
/// of `module` once (the runtime's C functions take and return addresses and
/// sizes as intptr_t/int64_t).
func::FuncOp declareRuntimeFunction(OpBuilder &builder, ModuleOp module,
                                    StringRef name, unsigned numArguments,
                                    unsigned numResults = 0);

/// Declares `name` with the given function type at the top of `module` once.
func::FuncOp declareRuntimeFunction(OpBuilder &builder, ModuleOp module,
                                    StringRef name, FunctionType type);

/// The address, as an index, of `text` NUL-terminated in a private constant
/// global (one per distinct text).
Value stringAddress(OpBuilder &builder, ModuleOp module, Location loc,
                    StringRef text);

/// The address, as an index, of a NUL-terminated "file:line:col" of `loc` in
/// a private constant global (one per distinct text), for runtime errors
/// that point into the user's program.
Value locationString(OpBuilder &builder, ModuleOp module, Location loc);

/// Stops the program at `loc` with `message` when `failed` (an i1) holds:
/// an `scf.if` calling `sluice_rt_check_error`, which prints the location
/// and the message with `{0}` and `{1}` replaced by `a` and `c` (integers or
/// indices; absent ones are 0) and exits with status 1.
void emitCheck(OpBuilder &builder, ModuleOp module, Location loc, Value failed,
               StringRef message, Value a = {}, Value c = {});

/// A fresh buffer of `type`'s shape, filled by `fill(address of its first
/// element)` (typically a runtime call), as a tensor that owns it
/// (`bufferization.to_tensor restrict writable`). `sizes` has one entry per
/// dimension; those of static dimensions are ignored (and may be null).
Value tensorFilledBy(OpBuilder &builder, Location loc, RankedTensorType type,
                     ArrayRef<Value> sizes,
                     function_ref<void(Value address)> fill);

/// Whether a buffer's elements are consecutive in row-major order (an
/// identity layout, or a slice of one at some offset).
bool isContiguous(MemRefType type);

/// The address of a buffer's first element, as an index (the aligned base
/// plus the layout's offset).
Value bufferAddress(OpBuilder &builder, Location loc, Value buffer);

/// Whether a gather can be handed to a host runtime call (`what` names the
/// path in the message): synchronous, i64 or index indices, contiguous
/// buffers, byte-sized elements. Emits the error on `op` if not.
LogicalResult checkRuntimeGather(Operation *op, StringRef what);

/// Replaces a gather_into (with converted `source`, `indices`, `dest`) by a
/// call to `callee(table, rows, rowBytes, indices, count, out, where)`, the
/// signature of sluice_rt_cpu_gather and sluice_rt_staged_gather.
void replaceWithRuntimeGather(ConversionPatternRewriter &rewriter,
                              Operation *op, StringRef callee, Value source,
                              Value indices, Value dest);

/// Lowers sluice.sort_unique_into to `sluice_rt_sort_unique` (a host call on
/// 64-bit, contiguous buffers) for any target.
void populateSortUniqueIntoPattern(const TypeConverter &converter,
                                   RewritePatternSet &patterns);

/// Whether sort_unique_into can be lowered to the runtime call, with an
/// error on `op` if not.
LogicalResult checkSortUniqueInto(Operation *op);

/// Whether a sort_unique_into's buffers are contiguous i64 or index (what
/// the runtime's sort and sluice-expand-sort-unique take), silently.
bool hasSortableBuffers(Operation *sort);

/// Emits an error at the first op of each kind of family 0 (programs, data
/// and training) under `root`, which no target lowers yet; fails if there
/// was one.
LogicalResult rejectFrontEndOps(Operation *root);

} // namespace mlir::sluice

#endif // SLUICE_CONVERSION_RUNTIMECALLS_H
