//===- ExpandTensorOps.cpp - tensor-level sluice ops as linalg ------------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
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
  Value low = arith::ExtFOp::create(b, loc, b.getF64Type(), op.getLow());
  Value high = arith::ExtFOp::create(b, loc, b.getF64Type(), op.getHigh());
  if (op.getLow().getType().isF64()) {
    low = op.getLow();
    high = op.getHigh();
  }
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

  // sluice_rt_label_error(where, label, columns) reports and exits.
  auto errorFn = module.lookupSymbol<func::FuncOp>("sluice_rt_label_error");
  if (!errorFn) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    errorFn = func::FuncOp::create(
        b, module.getLoc(), "sluice_rt_label_error",
        b.getFunctionType({b.getIndexType(), b.getI64Type(), b.getI64Type()},
                          {}));
    errorFn.setPrivate();
  }
  // The location text, as a constant global.
  std::string text = describeLocation(loc);
  text.push_back('\0');
  auto bytesType = MemRefType::get({int64_t(text.size())}, b.getI8Type());
  SmallVector<int8_t> bytes(text.begin(), text.end());
  auto value = DenseElementsAttr::get(
      RankedTensorType::get(bytesType.getShape(), b.getI8Type()),
      ArrayRef<int8_t>(bytes));
  std::string name;
  for (unsigned counter = 0;; ++counter) {
    name = "__sluice_label_where_" + std::to_string(counter);
    auto existing = module.lookupSymbol<memref::GlobalOp>(name);
    if (!existing) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      memref::GlobalOp::create(b, loc, name, b.getStringAttr("private"),
                               bytesType, value, /*constant=*/true,
                               /*alignment=*/nullptr);
      break;
    }
    if (existing.getInitialValueAttr() == value)
      break;
  }

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
          Value global = memref::GetGlobalOp::create(ib, il, bytesType, name);
          Value address =
              memref::ExtractAlignedPointerAsIndexOp::create(ib, il, global);
          func::CallOp::create(ib, il, errorFn,
                               ValueRange{address, label, columns64});
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
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (llvm::isa<RandomUniformOp, ArgmaxOp, TakeAlongOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (auto random = llvm::dyn_cast<RandomUniformOp>(op))
        expandRandomUniform(random);
      else if (auto argmax = llvm::dyn_cast<ArgmaxOp>(op))
        expandArgmax(argmax);
      else
        expandTakeAlong(llvm::cast<TakeAlongOp>(op), module);
    }
  }
};

} // namespace
