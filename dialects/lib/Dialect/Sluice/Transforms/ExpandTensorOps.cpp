//===- ExpandTensorOps.cpp - tensor-level sluice ops as linalg ------------===//

#include "sluice/Conversion/RuntimeCalls.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"

#include <limits>

namespace mlir::sluice {
#define GEN_PASS_DEF_EXPANDTENSOROPS
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// splitmix64's constants (Steele, Lea, Flood 2014), as the ops describe.
constexpr uint64_t kGamma = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kMix1 = 0xBF58476D1CE4E5B9ull;
constexpr uint64_t kMix2 = 0x94D049BB133111EBull;

Value i64Constant(OpBuilder &b, Location loc, uint64_t value) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(),
                                      static_cast<int64_t>(value));
}

SmallVector<utils::IteratorType> iterators(unsigned parallel,
                                           unsigned reduction) {
  SmallVector<utils::IteratorType> kinds(parallel,
                                         utils::IteratorType::parallel);
  kinds.append(reduction, utils::IteratorType::reduction);
  return kinds;
}

void expandRandomUniform(RandomUniformOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto type = llvm::cast<RankedTensorType>(op.getType());
  int64_t rank = type.getRank();
  Value empty = tensor::EmptyOp::create(
      b, loc, type.getShape(), type.getElementType(), op.getDynamicSizes());
  // Row-major strides, computed once outside the loop nest.
  SmallVector<Value> strides(rank);
  Value stride = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t i = rank - 1; i >= 0; --i) {
    strides[i] = stride;
    stride = arith::MulIOp::create(b, loc, stride,
                                   tensor::DimOp::create(b, loc, empty, i));
  }
  // The draw is made in f64; f64 bounds are used as they are (an extf from
  // f64 to f64 is invalid).
  auto inF64 = [&](Value bound) -> Value {
    if (bound.getType().isF64())
      return bound;
    return arith::ExtFOp::create(b, loc, b.getF64Type(), bound);
  };
  Value low = inF64(op.getLow()), high = inF64(op.getHigh());
  Value span = arith::SubFOp::create(b, loc, high, low);
  uint64_t seed = static_cast<uint64_t>(op.getSeed());
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{}, ValueRange{empty},
      ArrayRef<AffineMap>{identity}, iterators(rank, 0),
      [&](OpBuilder &nb, Location nl, ValueRange) {
        Value k = arith::ConstantIndexOp::create(nb, nl, 0);
        for (int64_t i = 0; i < rank; ++i)
          k = arith::AddIOp::create(
              nb, nl, k,
              arith::MulIOp::create(nb, nl, linalg::IndexOp::create(nb, nl, i),
                                    strides[i]));
        Value k64 = arith::IndexCastOp::create(nb, nl, nb.getI64Type(), k);
        // z = mix(seed + (k + 1) * gamma), in wrapping 64-bit arithmetic.
        Value next = arith::AddIOp::create(nb, nl, k64, i64Constant(nb, nl, 1));
        Value z = arith::AddIOp::create(
            nb, nl, i64Constant(nb, nl, seed),
            arith::MulIOp::create(nb, nl, next, i64Constant(nb, nl, kGamma)));
        auto xorShift = [&](Value v, uint64_t shift) {
          return arith::XOrIOp::create(
              nb, nl, v,
              arith::ShRUIOp::create(nb, nl, v, i64Constant(nb, nl, shift)));
        };
        z = arith::MulIOp::create(nb, nl, xorShift(z, 30),
                                  i64Constant(nb, nl, kMix1));
        z = arith::MulIOp::create(nb, nl, xorShift(z, 27),
                                  i64Constant(nb, nl, kMix2));
        z = xorShift(z, 31);
        // u = (z >> 11) * 2^-53 in [0, 1).
        Value top = arith::ShRUIOp::create(nb, nl, z, i64Constant(nb, nl, 11));
        Value u = arith::MulFOp::create(
            nb, nl, arith::UIToFPOp::create(nb, nl, nb.getF64Type(), top),
            arith::ConstantOp::create(
                nb, nl, nb.getF64FloatAttr(std::ldexp(1.0, -53))));
        Value value = arith::AddFOp::create(
            nb, nl, low, arith::MulFOp::create(nb, nl, span, u));
        if (!type.getElementType().isF64())
          value = arith::TruncFOp::create(nb, nl, type.getElementType(), value);
        linalg::YieldOp::create(nb, nl, value);
      });
  op.replaceAllUsesWith(generic.getResult(0));
  op.erase();
}

void expandArgmax(ArgmaxOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto inputType = llvm::cast<RankedTensorType>(op.getX().getType());
  auto resultType = llvm::cast<RankedTensorType>(op.getType());
  int64_t rank = inputType.getRank();
  Type element = inputType.getElementType();
  SmallVector<Value> sizes;
  for (int64_t i = 0; i + 1 < rank; ++i)
    if (resultType.isDynamicDim(i))
      sizes.push_back(tensor::DimOp::create(b, loc, op.getX(), i));
  // The running best starts below every value, with an index above every
  // index, so that the first element always replaces it.
  auto bestType = RankedTensorType::get(resultType.getShape(), element);
  Value lowest = arith::ConstantOp::create(
      b, loc,
      b.getFloatAttr(element, -std::numeric_limits<double>::infinity()));
  Value bestEmpty =
      tensor::EmptyOp::create(b, loc, bestType.getShape(), element, sizes);
  Value bestInit =
      linalg::FillOp::create(b, loc, ValueRange{lowest}, ValueRange{bestEmpty})
          .getResult(0);
  Value above = i64Constant(b, loc, std::numeric_limits<int64_t>::max());
  Value indexEmpty = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                             b.getI64Type(), sizes);
  Value indexInit =
      linalg::FillOp::create(b, loc, ValueRange{above}, ValueRange{indexEmpty})
          .getResult(0);
  AffineMap input = b.getMultiDimIdentityMap(rank);
  AffineMap output =
      AffineMap::get(rank, 0, input.getResults().drop_back(), b.getContext());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{bestType, resultType}, ValueRange{op.getX()},
      ValueRange{bestInit, indexInit},
      ArrayRef<AffineMap>{input, output, output}, iterators(rank - 1, 1),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value in = args[0], best = args[1], bestIndex = args[2];
        Value j = arith::IndexCastOp::create(
            nb, nl, nb.getI64Type(), linalg::IndexOp::create(nb, nl, rank - 1));
        Value earlier = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt,
                                              j, bestIndex);
        Value inNaN =
            arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::UNO, in, in);
        Value bestNaN = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::UNO,
                                              best, best);
        Value notBestNaN = arith::XOrIOp::create(
            nb, nl, bestNaN,
            arith::ConstantIntOp::create(nb, nl, nb.getI1Type(), 1));
        // A NaN wins over numbers, and the earliest NaN over other NaNs.
        Value nanWins = arith::OrIOp::create(nb, nl, notBestNaN, earlier);
        // Among numbers: larger, or equal and earlier.
        Value greater =
            arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT, in, best);
        Value equal =
            arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, in, best);
        Value numberWins = arith::AndIOp::create(
            nb, nl, notBestNaN,
            arith::OrIOp::create(
                nb, nl, greater,
                arith::AndIOp::create(nb, nl, equal, earlier)));
        Value take =
            arith::SelectOp::create(nb, nl, inNaN, nanWins, numberWins);
        linalg::YieldOp::create(
            nb, nl,
            ValueRange{arith::SelectOp::create(nb, nl, take, in, best),
                       arith::SelectOp::create(nb, nl, take, j, bestIndex)});
      });
  op.replaceAllUsesWith(generic.getResult(1));
  op.erase();
}

/// Calls `fn(arguments)` when `condition` holds (a run-time error report).
void callIf(OpBuilder &b, Location loc, Value condition, func::FuncOp fn,
            function_ref<SmallVector<Value>(OpBuilder &, Location)> arguments) {
  scf::IfOp::create(b, loc, condition, [&](OpBuilder &ib, Location il) {
    func::CallOp::create(ib, il, fn, arguments(ib, il));
    scf::YieldOp::create(ib, il);
  });
}

void expandRecordLoss(RecordLossOp op, ModuleOp module) {
  // The losses with one element replaced; a batch index outside [0, N) stops
  // the program.
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value losses = op.getLosses();
  Value batch = op.getBatch();
  Value count = tensor::DimOp::create(b, loc, losses, 0);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value bad = arith::OrIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, batch, zero),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, batch, count));
  func::FuncOp errorFn = declareRuntimeFunction(
      b, module, "sluice_rt_check_error",
      b.getFunctionType(
          {b.getIndexType(), b.getIndexType(), b.getI64Type(), b.getI64Type()},
          {}));
  callIf(b, loc, bad, errorFn, [&](OpBuilder &ib, Location il) {
    return SmallVector<Value>{
        locationString(ib, module, loc),
        stringAddress(ib, module, il,
                      "record_loss: batch {0} is outside [0, {1})"),
        arith::IndexCastOp::create(ib, il, ib.getI64Type(), batch),
        arith::IndexCastOp::create(ib, il, ib.getI64Type(), count)};
  });
  Value updated =
      tensor::InsertOp::create(b, loc, op.getLoss(), losses, ValueRange{batch});
  op.replaceAllUsesWith(updated);
  op.erase();
}

void expandSelectHardest(SelectHardestOp op, ModuleOp module) {
  // rank[i] = the number of batches that rank above batch i (a larger loss,
  // NaN above numbers, the lower index first among equals); the selected
  // batches are those with rank < K = floor(delta * N), listed in ascending
  // index order.
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value losses = op.getLosses();
  auto lossesType = llvm::cast<RankedTensorType>(losses.getType());
  Type element = lossesType.getElementType();
  auto resultType = llvm::cast<RankedTensorType>(op.getType());
  Type indexElement = resultType.getElementType();
  Value n = tensor::DimOp::create(b, loc, losses, 0);
  Value delta = op.getDynamicDelta();
  if (!delta)
    delta = arith::ConstantOp::create(
        b, loc, b.getF64FloatAttr(op.getDelta()->convertToDouble()));
  Value n64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), n);
  Value k64 = arith::FPToSIOp::create(
      b, loc, b.getI64Type(),
      arith::MulFOp::create(
          b, loc, delta, arith::SIToFPOp::create(b, loc, b.getF64Type(), n64)));
  // delta must lie in (0, 1] and select at least one of the N batches.
  Value zeroF = arith::ConstantOp::create(b, loc, b.getF64FloatAttr(0.0));
  Value oneF = arith::ConstantOp::create(b, loc, b.getF64FloatAttr(1.0));
  Value outside = arith::OrIOp::create(
      b, loc,
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ULE, delta, zeroF),
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UGT, delta, oneF));
  Value none = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::slt, k64,
      arith::ConstantIntOp::create(b, loc, b.getI64Type(), 1));
  func::FuncOp errorFn = declareRuntimeFunction(
      b, module, "sluice_rt_select_error",
      b.getFunctionType({b.getIndexType(), b.getF64Type(), b.getI64Type()},
                        {}));
  callIf(
      b, loc, arith::OrIOp::create(b, loc, outside, none), errorFn,
      [&](OpBuilder &ib, Location il) {
        return SmallVector<Value>{locationString(ib, module, loc), delta, n64};
      });
  Value k = arith::IndexCastOp::create(b, loc, b.getIndexType(), k64);

  // rank[i] = sum over j of beats(j, i).
  MLIRContext *ctx = b.getContext();
  Value rankInit =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{ShapedType::kDynamic},
                              b.getI64Type(), ValueRange{n});
  rankInit =
      linalg::FillOp::create(
          b, loc,
          ValueRange{arith::ConstantIntOp::create(b, loc, b.getI64Type(), 0)},
          ValueRange{rankInit})
          .getResult(0);
  AffineMap byI = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
  AffineMap byJ = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
  Value ranks =
      linalg::GenericOp::create(
          b, loc, TypeRange{rankInit.getType()}, ValueRange{losses, losses},
          ValueRange{rankInit}, ArrayRef<AffineMap>{byI, byJ, byI},
          {utils::IteratorType::parallel, utils::IteratorType::reduction},
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value li = args[0], lj = args[1], acc = args[2];
            Value i = linalg::IndexOp::create(nb, nl, 0);
            Value j = linalg::IndexOp::create(nb, nl, 1);
            Value earlier =
                arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ult, j, i);
            Value iNaN = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::UNO, li, li);
            Value jNaN = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::UNO, lj, lj);
            Value larger = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::OGT, lj, li);
            Value equal = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::OEQ, lj, li);
            Value trueV =
                arith::ConstantIntOp::create(nb, nl, nb.getI1Type(), 1);
            Value notINaN = arith::XOrIOp::create(nb, nl, iNaN, trueV);
            Value notJNaN = arith::XOrIOp::create(nb, nl, jNaN, trueV);
            // j beats i: j is NaN and (i is not, or j is earlier); or both
            // are numbers and j's is larger, or equal and earlier.
            Value nanBeats = arith::AndIOp::create(
                nb, nl, jNaN, arith::OrIOp::create(nb, nl, notINaN, earlier));
            Value numberBeats = arith::AndIOp::create(
                nb, nl, arith::AndIOp::create(nb, nl, notJNaN, notINaN),
                arith::OrIOp::create(
                    nb, nl, larger,
                    arith::AndIOp::create(nb, nl, equal, earlier)));
            Value beats = arith::OrIOp::create(nb, nl, nanBeats, numberBeats);
            Value one = arith::ExtUIOp::create(nb, nl, nb.getI64Type(), beats);
            linalg::YieldOp::create(
                nb, nl, ValueRange{arith::AddIOp::create(nb, nl, acc, one)});
          })
          .getResult(0);

  // Walk the batches in order, appending the selected ones.
  Value out =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{ShapedType::kDynamic},
                              indexElement, ValueRange{k});
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, zero, n, one, ValueRange{out, zero},
      [&](OpBuilder &lb, Location ll, Value i, ValueRange carried) {
        Value rank = tensor::ExtractOp::create(lb, ll, ranks, ValueRange{i});
        Value rankIndex =
            arith::IndexCastOp::create(lb, ll, lb.getIndexType(), rank);
        Value chosen = arith::CmpIOp::create(lb, ll, arith::CmpIPredicate::ult,
                                             rankIndex, k);
        auto branch = scf::IfOp::create(
            lb, ll, chosen,
            [&](OpBuilder &tb, Location tl) {
              Value id = indexElement.isIndex()
                             ? i
                             : (Value)arith::IndexCastOp::create(
                                   tb, tl, indexElement, i);
              Value written = tensor::InsertOp::create(tb, tl, id, carried[0],
                                                       ValueRange{carried[1]});
              Value next = arith::AddIOp::create(
                  tb, tl, carried[1],
                  arith::ConstantIndexOp::create(tb, tl, 1));
              scf::YieldOp::create(tb, tl, ValueRange{written, next});
            },
            [&](OpBuilder &eb, Location el) {
              scf::YieldOp::create(eb, el, carried);
            });
        scf::YieldOp::create(lb, ll, branch.getResults());
      });
  Value selected = loop.getResult(0);
  if (selected.getType() != resultType)
    selected = tensor::CastOp::create(b, loc, resultType, selected);
  op.replaceAllUsesWith(selected);
  op.erase();
  (void)element;
}

void expandShuffle(ShuffleOp op) {
  // Fisher-Yates from the last position down, j = next() mod (i + 1), with
  // splitmix64's state starting at the seed: exactly the op's description.
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value indices = op.getIndices();
  Value n = tensor::DimOp::create(b, loc, indices, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, one, n, one, ValueRange{indices, op.getSeed()},
      [&](OpBuilder &lb, Location ll, Value k, ValueRange carried) {
        // k runs 1 .. n-1; i = n - k runs n-1 .. 1.
        Value i = arith::SubIOp::create(lb, ll, n, k);
        Value state = arith::AddIOp::create(lb, ll, carried[1],
                                            i64Constant(lb, ll, kGamma));
        auto xorShift = [&](Value v, uint64_t shift) {
          return arith::XOrIOp::create(
              lb, ll, v,
              arith::ShRUIOp::create(lb, ll, v, i64Constant(lb, ll, shift)));
        };
        Value z = arith::MulIOp::create(lb, ll, xorShift(state, 30),
                                        i64Constant(lb, ll, kMix1));
        z = arith::MulIOp::create(lb, ll, xorShift(z, 27),
                                  i64Constant(lb, ll, kMix2));
        z = xorShift(z, 31);
        Value bound = arith::IndexCastOp::create(
            lb, ll, lb.getI64Type(), arith::AddIOp::create(lb, ll, i, one));
        Value j = arith::IndexCastOp::create(
            lb, ll, lb.getIndexType(),
            arith::RemUIOp::create(lb, ll, z, bound));
        Value order = carried[0];
        Value atI = tensor::ExtractOp::create(lb, ll, order, ValueRange{i});
        Value atJ = tensor::ExtractOp::create(lb, ll, order, ValueRange{j});
        order = tensor::InsertOp::create(lb, ll, atJ, order, ValueRange{i});
        order = tensor::InsertOp::create(lb, ll, atI, order, ValueRange{j});
        scf::YieldOp::create(lb, ll, ValueRange{order, state});
      });
  op.replaceAllUsesWith(loop.getResult(0));
  op.erase();
}

/// What a loaded data source calls in the runtime: the dataset and graph
/// entry points share their field numbering (sizes 0 rows, 1 features,
/// 2 classes, 3-5 split sizes; copies 0 features, 1 labels, 2-4 splits).
struct SourceRuntime {
  StringRef load, size, copy;
  StringRef rowsField; // "num_samples" or "num_nodes"
};

/// `source`'s text as a pointer: a literal's global, or a str parameter.
FailureOr<Value> sourceAddress(OpBuilder &b, ModuleOp module, Operation *load,
                               Value source) {
  if (auto text = source.getDefiningOp<StringOp>())
    return stringAddress(b, module, load->getLoc(), text.getValue());
  if (auto cast = source.getDefiningOp<UnrealizedConversionCastOp>())
    return cast.getInputs()[0]; // a str parameter's text
  return load->emitOpError("needs its source as a string literal or a "
                           "parameter to be compiled");
}

/// The aligned address of a tensor's data, viewed as a dense buffer (the
/// bufferizer copies a strided or offset view into one).
Value denseAddress(OpBuilder &b, Location loc, Value tensor) {
  auto type = llvm::cast<RankedTensorType>(tensor.getType());
  auto bufferType = MemRefType::get(type.getShape(), type.getElementType());
  Value buffer = bufferization::ToBufferOp::create(b, loc, bufferType, tensor,
                                                   /*readOnly=*/true);
  return memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
}

Value callRuntime(OpBuilder &b, Location loc, ModuleOp module, StringRef name,
                  TypeRange results, ValueRange operands) {
  func::FuncOp callee = declareRuntimeFunction(
      b, module, name, b.getFunctionType(operands.getTypes(), results));
  auto call = func::CallOp::create(b, loc, callee, operands);
  return results.empty() ? Value() : call.getResult(0);
}

Value indexFromI64(OpBuilder &b, Location loc, Value value) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
}

Value i64FromIndex(OpBuilder &b, Location loc, Value value) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), value);
}

/// A block's edges as an i64 tensor of `count` elements
/// (sluice_rt_block_copy's `field`).
Value blockArray(OpBuilder &b, Location loc, ModuleOp module, Value handle,
                 int64_t field, Value count) {
  auto type = RankedTensorType::get({ShapedType::kDynamic}, b.getI64Type());
  return tensorFilledBy(b, loc, type, {count}, [&](Value out) {
    callRuntime(b, loc, module, "sluice_rt_block_copy", {},
                {handle, i64Constant(b, loc, field), out});
  });
}

/// aggregate_mean (or its gradient) as a linalg.generic over the result's
/// rows and columns, each element a loop over one node's edges, from the
/// block's CSR arrays: loops a GPU kernel can run, where the runtime's
/// function reads host memory. The arithmetic is the runtime's, in the same
/// order (zero, the edges' values added in edge order, then times the
/// reciprocal of the count; for the gradient each edge's value times the
/// reciprocal of its dst's count, added in the order the runtime adds them),
/// so both give the same bits.
Value aggregateWithLoops(OpBuilder &b, Location loc, ModuleOp module,
                         Value handle, Value input, RankedTensorType resultType,
                         Value resultRows, Value columns, bool forward,
                         function_ref<Value(int64_t)> blockSize) {
  // The result has a row per dst node forward, per src node backward.
  Value numDst = forward ? resultRows : blockSize(1), edges = blockSize(2);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value dstOffsets = blockArray(b, loc, module, handle, 0,
                                arith::AddIOp::create(b, loc, numDst, one));
  // Forward: each dst's sources. Backward: each src's dsts.
  Value offsets =
      forward ? dstOffsets
              : blockArray(b, loc, module, handle, 2,
                           arith::AddIOp::create(b, loc, resultRows, one));
  Value neighbors = blockArray(b, loc, module, handle, forward ? 1 : 3, edges);
  FloatType f32 = b.getF32Type();
  SmallVector<Value> sizes = {resultRows, columns}, dynamicSizes;
  for (int64_t dim = 0; dim < 2; ++dim)
    if (resultType.isDynamicDim(dim))
      dynamicSizes.push_back(sizes[dim]);
  Value empty = tensor::EmptyOp::create(b, loc, resultType, dynamicSizes);
  AffineMap identity = b.getMultiDimIdentityMap(2);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{}, ValueRange{empty},
      ArrayRef<AffineMap>{identity}, iterators(2, 0),
      [&](OpBuilder &nb, Location nl, ValueRange) {
        Value row = linalg::IndexOp::create(nb, nl, 0);
        Value column = linalg::IndexOp::create(nb, nl, 1);
        auto at = [&](Value tensor, Value position) {
          return indexFromI64(
              nb, nl, tensor::ExtractOp::create(nb, nl, tensor, position));
        };
        auto reciprocalCount = [&](OpBuilder &cb, Value first, Value last) {
          Value count = arith::SubIOp::create(cb, nl, last, first);
          Value asFloat = arith::SIToFPOp::create(
              cb, nl, f32,
              arith::IndexCastOp::create(cb, nl, cb.getI64Type(), count));
          return arith::DivFOp::create(
              cb, nl,
              arith::ConstantFloatOp::create(cb, nl, f32, APFloat(1.0f)),
              asFloat);
        };
        Value next = arith::AddIOp::create(
            nb, nl, row, arith::ConstantIndexOp::create(nb, nl, 1));
        Value first = at(offsets, row), last = at(offsets, next);
        Value zero = arith::ConstantFloatOp::create(nb, nl, f32, APFloat(0.0f));
        auto loop = scf::ForOp::create(
            nb, nl, first, last, arith::ConstantIndexOp::create(nb, nl, 1),
            ValueRange{zero},
            [&](OpBuilder &lb, Location ll, Value edge, ValueRange sum) {
              Value neighbor = at(neighbors, edge);
              Value value = tensor::ExtractOp::create(
                  lb, ll, input, ValueRange{neighbor, column});
              if (!forward) {
                // The dst's reciprocal count, as the runtime scales each
                // gradient row before adding it.
                Value after = arith::AddIOp::create(
                    lb, ll, neighbor,
                    arith::ConstantIndexOp::create(lb, ll, 1));
                value = arith::MulFOp::create(
                    lb, ll,
                    reciprocalCount(lb, at(dstOffsets, neighbor),
                                    at(dstOffsets, after)),
                    value);
              }
              scf::YieldOp::create(
                  lb, ll,
                  ValueRange{arith::AddFOp::create(lb, ll, sum[0], value)});
            });
        Value sum = loop.getResult(0);
        if (forward) {
          // A dst without edges keeps its zero.
          Value any = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sgt,
                                            last, first);
          Value scaled = arith::MulFOp::create(
              nb, nl, sum, reciprocalCount(nb, first, last));
          sum = arith::SelectOp::create(nb, nl, any, scaled, sum);
        }
        linalg::YieldOp::create(nb, nl, sum);
      });
  return generic.getResult(0);
}

/// Each op that reads a block (`sluice.block_layer`'s result) becomes a
/// runtime call on the block's handle.
LogicalResult expandBlockUsers(OpBuilder &b, ModuleOp module, Value block,
                               Value handle, bool aggregateAsLoops) {
  Type i64 = b.getI64Type();
  SmallVector<Operation *> users(block.getUsers());
  for (Operation *user : users) {
    b.setInsertionPoint(user);
    Location loc = user->getLoc();
    auto blockSize = [&](int64_t what) {
      return indexFromI64(b, loc,
                          callRuntime(b, loc, module, "sluice_rt_block_size",
                                      {i64},
                                      {handle, i64Constant(b, loc, what)}));
    };
    if (auto field = llvm::dyn_cast<FieldOp>(user)) {
      field.replaceAllUsesWith(
          blockSize(field.getField() == "num_src" ? 0 : 1));
      field.erase();
      continue;
    }
    bool forward = llvm::isa<AggregateMeanOp>(user);
    if (!forward && !llvm::isa<AggregateMeanGradOp>(user))
      return user->emitOpError("reads a block in a way the CPU back end "
                               "does not compile yet");
    Value input = user->getOperand(1);
    auto inputType = llvm::cast<RankedTensorType>(input.getType());
    auto resultType =
        llvm::cast<RankedTensorType>(user->getResult(0).getType());
    if (inputType.getRank() != 2 || !inputType.getElementType().isF32())
      return user->emitOpError("is compiled for rank-2 f32 tensors only, got ")
             << inputType;
    Value rows = i64FromIndex(b, loc, tensor::DimOp::create(b, loc, input, 0));
    Value columns = tensor::DimOp::create(b, loc, input, 1);
    Value columns64 = i64FromIndex(b, loc, columns);
    Value resultRows = blockSize(forward ? 1 : 0);
    Value where = locationString(b, module, loc);
    if (aggregateAsLoops) {
      callRuntime(b, loc, module, "sluice_rt_block_check_rows", {},
                  {handle, rows, i64Constant(b, loc, forward ? 1 : 0), where});
      Value result =
          aggregateWithLoops(b, loc, module, handle, input, resultType,
                             resultRows, columns, forward, blockSize);
      user->getResult(0).replaceAllUsesWith(result);
      user->erase();
      continue;
    }
    Value address = denseAddress(b, loc, input);
    Value result = tensorFilledBy(
        b, loc, resultType, {resultRows, columns}, [&](Value out) {
          callRuntime(
              b, loc, module,
              forward ? "sluice_rt_aggregate_mean"
                      : "sluice_rt_aggregate_mean_grad",
              {}, {handle, address, rows, columns64, columns64, out, where});
        });
    user->getResult(0).replaceAllUsesWith(result);
    user->erase();
  }
  return success();
}

/// The operands of sluice_rt_sample and sluice_rt_sample_ahead: the graph,
/// the seeds and fanouts (dense, with their counts and a stride of 1), the
/// seed, and the op's location, which is also what the runtime matches a
/// sample that ran ahead by.
SmallVector<Value> sampleCallOperands(OpBuilder &b, Location loc,
                                      ModuleOp module, Value graph, Value seeds,
                                      Value fanouts, Value seed) {
  Value count = i64FromIndex(b, loc, tensor::DimOp::create(b, loc, seeds, 0));
  Value layers =
      i64FromIndex(b, loc, tensor::DimOp::create(b, loc, fanouts, 0));
  Value one = i64Constant(b, loc, 1);
  return {graph,
          denseAddress(b, loc, seeds),
          count,
          one,
          denseAddress(b, loc, fanouts),
          layers,
          one,
          seed,
          locationString(b, module, loc)};
}

/// `sluice.sample_ahead` becomes the runtime call that starts the sample.
void expandSampleAhead(SampleAheadOp ahead, Value graph, ModuleOp module) {
  OpBuilder b(ahead);
  callRuntime(b, ahead.getLoc(), module, "sluice_rt_sample_ahead", {},
              sampleCallOperands(b, ahead.getLoc(), module, graph,
                                 ahead.getSeeds(), ahead.getFanouts(),
                                 ahead.getSeed()));
  ahead.erase();
}

/// `sluice.sample` becomes a runtime call that returns the blocks' handle;
/// its fields become buffers, its layers block handles, and the handle is
/// freed at the end of the block the sample is in (which every use must be
/// inside: blocks are never carried out of it).
LogicalResult expandSample(SampleOp sample, Value graph, ModuleOp module,
                           bool aggregateAsLoops) {
  OpBuilder b(sample);
  Location loc = sample.getLoc();
  Type index = b.getIndexType(), i64 = b.getI64Type();
  Block *home = sample->getBlock();
  for (Operation *user : sample->getUsers())
    if (!home->findAncestorOpInBlock(*user))
      return user->emitOpError("uses sampled blocks outside the region "
                               "they were sampled in, which the CPU back "
                               "end does not compile yet");
  Value handle =
      callRuntime(b, loc, module, "sluice_rt_sample", {index},
                  sampleCallOperands(b, loc, module, graph, sample.getSeeds(),
                                     sample.getFanouts(), sample.getSeed()));
  auto blocksSize = [&](int64_t what) {
    return indexFromI64(b, loc,
                        callRuntime(b, loc, module, "sluice_rt_blocks_size",
                                    {i64},
                                    {handle, i64Constant(b, loc, what)}));
  };
  SmallVector<Operation *> users(sample->getUsers());
  for (Operation *user : users) {
    b.setInsertionPoint(user);
    if (auto field = llvm::dyn_cast<FieldOp>(user)) {
      StringRef name = field.getField();
      Value replacement;
      if (name == "num_layers") {
        replacement = blocksSize(2);
      } else {
        int64_t id = name == "inputs" ? 0 : 1;
        replacement = tensorFilledBy(
            b, loc, llvm::cast<RankedTensorType>(field.getType()),
            {blocksSize(id)}, [&](Value out) {
              callRuntime(b, loc, module, "sluice_rt_blocks_copy", {},
                          {handle, i64Constant(b, loc, id), out});
            });
      }
      field.replaceAllUsesWith(replacement);
      field.erase();
      continue;
    }
    auto layer = llvm::dyn_cast<BlockLayerOp>(user);
    if (!layer)
      return user->emitOpError("reads sampled blocks in a way the CPU back "
                               "end does not compile yet");
    Location layerLoc = layer.getLoc();
    Value block =
        callRuntime(b, layerLoc, module, "sluice_rt_block_layer", {index},
                    {handle, i64FromIndex(b, layerLoc, layer.getLayer()),
                     locationString(b, module, layerLoc)});
    if (failed(expandBlockUsers(b, module, layer.getResult(), block,
                                aggregateAsLoops)))
      return failure();
    layer.erase();
  }
  b.setInsertionPoint(home->getTerminator());
  callRuntime(b, loc, module, "sluice_rt_blocks_free", {}, {handle});
  sample.erase();
  return success();
}

/// A loaded dataset or graph becomes a runtime handle; each field read
/// becomes a buffer filled once, right after the load (so a read inside a
/// loop does not copy the data again); a graph's samples become runtime
/// calls on its handle.
LogicalResult expandSource(Operation *load, Value source,
                           const SourceRuntime &runtime, ModuleOp module,
                           bool aggregateAsLoops) {
  OpBuilder b(load);
  b.setInsertionPointAfter(load);
  Location loc = load->getLoc();
  FailureOr<Value> address = sourceAddress(b, module, load, source);
  if (failed(address))
    return failure();
  Type index = b.getIndexType(), i64 = b.getI64Type();
  Value handle = callRuntime(b, loc, module, runtime.load, {index},
                             {*address, locationString(b, module, loc)});
  auto size = [&](int64_t what) -> Value {
    return indexFromI64(b, loc,
                        callRuntime(b, loc, module, runtime.size, {i64},
                                    {handle, i64Constant(b, loc, what)}));
  };
  auto copyInto = [&](int64_t field) {
    return [&, field](Value out) {
      callRuntime(b, loc, module, runtime.copy, {},
                  {handle, i64Constant(b, loc, field), out});
    };
  };
  SmallVector<FieldOp> fields;
  SmallVector<SampleOp> samples;
  SmallVector<SampleAheadOp> aheads;
  for (Operation *user : load->getUsers()) {
    if (auto field = llvm::dyn_cast<FieldOp>(user))
      fields.push_back(field);
    else if (auto sample = llvm::dyn_cast<SampleOp>(user))
      samples.push_back(sample);
    else if (auto ahead = llvm::dyn_cast<SampleAheadOp>(user))
      aheads.push_back(ahead);
  }
  DenseMap<StringRef, Value> made;
  Value rows = size(0), features = size(1);
  for (FieldOp field : fields) {
    StringRef name = field.getField();
    Value replacement = made.lookup(name);
    if (!replacement) {
      if (name == "features") {
        auto bufferType = MemRefType::get(
            {ShapedType::kDynamic, ShapedType::kDynamic}, b.getF32Type());
        Value buffer = memref::AllocOp::create(b, loc, bufferType,
                                               ValueRange{rows, features});
        copyInto(0)(
            memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer));
        replacement =
            MakeTableOp::create(b, loc, field.getType(), buffer).getResult();
      } else if (name == runtime.rowsField) {
        replacement = rows;
      } else if (name == "num_classes") {
        replacement = size(2);
      } else if (name == "num_edges") {
        replacement = size(6);
      } else {
        int64_t id = name == "labels"  ? 1
                     : name == "train" ? 2
                     : name == "valid" ? 3
                                       : 4;
        Value count = name == "labels" ? rows : size(id + 1);
        replacement = tensorFilledBy(
            b, loc, llvm::cast<RankedTensorType>(field.getType()), {count},
            copyInto(id));
      }
      made[name] = replacement;
    }
    // A table's `rows` and `cols` are the source's sizes.
    if (name == "features") {
      SmallVector<FieldOp> tableFields;
      for (Operation *user : field->getUsers())
        if (auto inner = llvm::dyn_cast<FieldOp>(user))
          tableFields.push_back(inner);
      for (FieldOp inner : tableFields) {
        inner.replaceAllUsesWith(inner.getField() == "rows" ? rows : features);
        inner.erase();
      }
    }
    field.replaceAllUsesWith(replacement);
    field.erase();
  }
  for (SampleAheadOp ahead : aheads)
    expandSampleAhead(ahead, handle, module);
  for (SampleOp sample : samples)
    if (failed(expandSample(sample, handle, module, aggregateAsLoops)))
      return failure();
  if (load->use_empty()) {
    Operation *sourceOp = source.getDefiningOp();
    load->erase();
    if (sourceOp && sourceOp->use_empty())
      sourceOp->erase();
  }
  return success();
}

void expandTakeAlong(TakeAlongOp op, ModuleOp module) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto resultType = llvm::cast<RankedTensorType>(op.getType());
  Value x = op.getX();
  Value labels = op.getLabels();
  SmallVector<Value> sizes;
  if (resultType.isDynamicDim(0))
    sizes.push_back(tensor::DimOp::create(b, loc, labels, 0));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType(), sizes);
  Value columns = tensor::DimOp::create(b, loc, x, 1);
  Value columns64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), columns);

  func::FuncOp errorFn = declareRuntimeFunction(
      b, module, "sluice_rt_label_error",
      b.getFunctionType({b.getIndexType(), b.getI64Type(), b.getI64Type()},
                        {}));

  AffineMap identity = b.getMultiDimIdentityMap(1);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{labels}, ValueRange{init},
      ArrayRef<AffineMap>{identity, identity}, iterators(1, 0),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value label = args[0];
        if (!label.getType().isInteger(64))
          label = label.getType().isIndex()
                      ? (Value)arith::IndexCastOp::create(
                            nb, nl, nb.getI64Type(), label)
                      : (Value)arith::ExtSIOp::create(nb, nl, nb.getI64Type(),
                                                      label);
        Value negative = arith::CmpIOp::create(
            nb, nl, arith::CmpIPredicate::slt, label, i64Constant(nb, nl, 0));
        Value tooLarge = arith::CmpIOp::create(
            nb, nl, arith::CmpIPredicate::sge, label, columns64);
        Value bad = arith::OrIOp::create(nb, nl, negative, tooLarge);
        scf::IfOp::create(nb, nl, bad, [&](OpBuilder &ib, Location il) {
          func::CallOp::create(
              ib, il, errorFn,
              ValueRange{locationString(ib, module, loc), label, columns64});
          scf::YieldOp::create(ib, il);
        });
        Value row = linalg::IndexOp::create(nb, nl, 0);
        Value column =
            arith::IndexCastOp::create(nb, nl, nb.getIndexType(), label);
        Value picked =
            tensor::ExtractOp::create(nb, nl, x, ValueRange{row, column});
        linalg::YieldOp::create(nb, nl, picked);
      });
  op.replaceAllUsesWith(generic.getResult(0));
  op.erase();
}

struct ExpandTensorOpsPass
    : sluice::impl::ExpandTensorOpsBase<ExpandTensorOpsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (aggregation != "runtime" && aggregation != "loops") {
      module.emitError("sluice-expand-tensor-ops: aggregation must be "
                       "'runtime' or 'loops', not '")
          << aggregation << "'";
      return signalPassFailure();
    }
    bool aggregateAsLoops = aggregation == "loops";
    SmallVector<Operation *> loads;
    module.walk([&](Operation *op) {
      if (llvm::isa<LoadDatasetOp, LoadGraphOp>(op))
        loads.push_back(op);
    });
    const SourceRuntime datasets{"sluice_rt_load_dataset",
                                 "sluice_rt_dataset_size",
                                 "sluice_rt_dataset_copy", "num_samples"};
    const SourceRuntime graphs{"sluice_rt_load_graph", "sluice_rt_graph_size",
                               "sluice_rt_graph_copy", "num_nodes"};
    for (Operation *load : loads) {
      bool isGraph = llvm::isa<LoadGraphOp>(load);
      if (failed(expandSource(load, load->getOperand(0),
                              isGraph ? graphs : datasets, module,
                              aggregateAsLoops)))
        return signalPassFailure();
    }
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (llvm::isa<RandomUniformOp, ArgmaxOp, TakeAlongOp, RecordLossOp,
                    SelectHardestOp, ShuffleOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (auto random = llvm::dyn_cast<RandomUniformOp>(op))
        expandRandomUniform(random);
      else if (auto argmax = llvm::dyn_cast<ArgmaxOp>(op))
        expandArgmax(argmax);
      else if (auto record = llvm::dyn_cast<RecordLossOp>(op))
        expandRecordLoss(record, module);
      else if (auto select = llvm::dyn_cast<SelectHardestOp>(op))
        expandSelectHardest(select, module);
      else if (auto shuffle = llvm::dyn_cast<ShuffleOp>(op))
        expandShuffle(shuffle);
      else
        expandTakeAlong(llvm::cast<TakeAlongOp>(op), module);
    }
  }
};

} // namespace
