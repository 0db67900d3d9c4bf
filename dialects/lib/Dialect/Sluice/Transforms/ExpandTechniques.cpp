//===- ExpandTechniques.cpp - MiniCache and MaM ops as tensor code --------===//
//
// The technique ops state what MiniCache and MaM compute; this pass writes
// that out in the tensor, linalg, arith and math ops that sluice-autodiff
// differentiates and every back end lowers. sluice-autodiff has rules for
// the MaM ops themselves and runs first; the code here is differentiable
// too, so that hand-written IR may run the two in either order.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/RuntimeCalls.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

#include <cmath>
#include <limits>

namespace mlir::sluice {
#define GEN_PASS_DEF_EXPANDTECHNIQUES
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// Builds tensor code at one op's place: the small vocabulary the
/// expansions share (per-row reductions over the last axis, spreading a
/// per-row value back along it, run-time checks).
class TensorBuilder {
public:
  TensorBuilder(Operation *op, ModuleOp module)
      : b(op), loc(op->getLoc()), module(module) {}

  OpBuilder b;
  Location loc;
  ModuleOp module;

  SmallVector<Value> dynamicDims(Value tensor) {
    SmallVector<Value> dims;
    auto type = llvm::cast<RankedTensorType>(tensor.getType());
    for (int64_t i = 0; i < type.getRank(); ++i)
      if (type.isDynamicDim(i))
        dims.push_back(tensor::DimOp::create(b, loc, tensor, i));
    return dims;
  }

  Value constant(double value, Type element) {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(element, value));
  }

  Value i64(int64_t value) {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), value);
  }

  /// A tensor shaped like `like` holding `scalar` everywhere.
  Value splatLike(Value scalar, Value like) {
    auto type = llvm::cast<RankedTensorType>(like.getType());
    return tensor::SplatOp::create(
        b, loc, RankedTensorType::get(type.getShape(), scalar.getType()),
        scalar, dynamicDims(like));
  }

  Value splat(double value, Value like) {
    return splatLike(constant(value, getElementTypeOrSelf(like.getType())),
                     like);
  }

  /// The sum (or the maximum) of `x` over its last axis.
  Value reduceLastAxis(Value x, bool max) {
    auto type = llvm::cast<RankedTensorType>(x.getType());
    Type element = type.getElementType();
    int64_t last = type.getRank() - 1;
    SmallVector<Value> dims;
    for (int64_t i = 0; i < last; ++i)
      if (type.isDynamicDim(i))
        dims.push_back(tensor::DimOp::create(b, loc, x, i));
    Value init = tensor::EmptyOp::create(b, loc, type.getShape().drop_back(),
                                         element, dims);
    double start = max ? -std::numeric_limits<double>::infinity() : 0.0;
    init = linalg::FillOp::create(b, loc, constant(start, element), init)
               .getResult(0);
    return linalg::ReduceOp::create(
               b, loc, ValueRange{x}, ValueRange{init}, ArrayRef<int64_t>{last},
               [&](OpBuilder &nb, Location nl, ValueRange args) {
                 Value v = max ? (Value)arith::MaximumFOp::create(
                                     nb, nl, args[0], args[1])
                               : (Value)arith::AddFOp::create(nb, nl, args[0],
                                                              args[1]);
                 linalg::YieldOp::create(nb, nl, v);
               })
        .getResult(0);
  }

  /// `v` (one value per row of `like`) repeated along `like`'s last axis,
  /// in `v`'s element type.
  Value spread(Value v, Value like) {
    auto likeType = llvm::cast<RankedTensorType>(like.getType());
    Value init = tensor::EmptyOp::create(b, loc, likeType.getShape(),
                                         getElementTypeOrSelf(v.getType()),
                                         dynamicDims(like));
    return linalg::BroadcastOp::create(
               b, loc, v, init, ArrayRef<int64_t>{likeType.getRank() - 1})
        .getResult()[0];
  }

  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value sqrt(Value x) { return math::SqrtOp::create(b, loc, x); }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  Value cmp(arith::CmpFPredicate predicate, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, predicate, x, y);
  }

  /// Stops the program at the op's location with `message` (`{0}` and
  /// `{1}` stand for `a` and `c`, integers) when `failed` holds.
  void failIf(Value failed, StringRef message, Value a = {}, Value c = {}) {
    emitCheck(b, module, loc, failed, message, a, c);
  }

  /// Stops the program when dimension `da` of `a` and `db` of `c` differ;
  /// nothing where both are static (the verifier compared them).
  void failUnlessSameSize(Value a, int64_t da, Value c, int64_t db,
                          StringRef message) {
    auto ta = llvm::cast<ShapedType>(a.getType());
    auto tc = llvm::cast<ShapedType>(c.getType());
    if (!ta.isDynamicDim(da) && !tc.isDynamicDim(db))
      return;
    Value x = tensor::DimOp::create(b, loc, a, da);
    Value y = tensor::DimOp::create(b, loc, c, db);
    failIf(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, y),
           message, x, y);
  }

  /// Stops the program when a float scalar lies outside [0, 1].
  void failUnlessUnit(Value v, StringRef message) {
    Type element = v.getType();
    Value inside = arith::AndIOp::create(
        b, loc, cmp(arith::CmpFPredicate::OGE, v, constant(0.0, element)),
        cmp(arith::CmpFPredicate::OLE, v, constant(1.0, element)));
    Value one = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1);
    failIf(arith::XOrIOp::create(b, loc, inside, one), message);
  }

  /// How many elements of the integer vector `v` lie outside [0, bound).
  Value countOutside(Value v, Value bound) {
    auto type = llvm::cast<RankedTensorType>(v.getType());
    Value init =
        tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, b.getI64Type());
    init = linalg::FillOp::create(b, loc, i64(0), init).getResult(0);
    Value bound64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), bound);
    AffineMap all = b.getMultiDimIdentityMap(1);
    AffineMap none = AffineMap::get(1, 0, {}, b.getContext());
    Value count =
        linalg::GenericOp::create(
            b, loc, TypeRange{init.getType()}, ValueRange{v}, ValueRange{init},
            ArrayRef<AffineMap>{all, none},
            ArrayRef<utils::IteratorType>{utils::IteratorType::reduction},
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value x = args[0];
              Type element = type.getElementType();
              if (element.isIndex())
                x = arith::IndexCastOp::create(nb, nl, nb.getI64Type(), x);
              else if (element.getIntOrFloatBitWidth() < 64)
                x = arith::ExtSIOp::create(nb, nl, nb.getI64Type(), x);
              Value zero =
                  arith::ConstantIntOp::create(nb, nl, nb.getI64Type(), 0);
              Value outside = arith::OrIOp::create(
                  nb, nl,
                  arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, x,
                                        zero),
                  arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sge, x,
                                        bound64));
              Value add =
                  arith::ExtUIOp::create(nb, nl, nb.getI64Type(), outside);
              linalg::YieldOp::create(
                  nb, nl,
                  ValueRange{arith::AddIOp::create(nb, nl, args[1], add)});
            })
            .getResult(0);
    return tensor::ExtractOp::create(b, loc, count, ValueRange{});
  }

  /// Stops the program when some element of `v` lies outside [0, bound).
  void failIfOutside(Value v, Value bound, StringRef message) {
    Value count = countOutside(v, bound);
    failIf(
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, count, i64(0)),
        message, count, bound);
  }
};

/// `v` in the type `type` (a cast between a static and a dynamic size).
Value castTo(TensorBuilder &tb, Value v, Type type) {
  if (v.getType() == type)
    return v;
  return tensor::CastOp::create(tb.b, tb.loc, type, v);
}

//===----------------------------------------------------------------------===//
// MiniCache
//===----------------------------------------------------------------------===//

void expandMergeLayers(MergeLayersOp op, ModuleOp module) {
  TensorBuilder tb(op, module);
  Value a = op.getPrevious(), c = op.getCurrent();
  Value t = op.getT(), gamma = op.getGamma();
  tb.failUnlessUnit(t, "`merge_layers`: t must lie in [0, 1]");
  tb.failUnlessUnit(gamma, "`merge_layers`: gamma must lie in [0, 1]");
  for (int64_t d = 0, rank = op.getPrevious().getType().getRank(); d < rank;
       ++d)
    tb.failUnlessSameSize(a, d, c, d,
                          "`merge_layers`: the two layers' states have "
                          "sizes {0} and {1} in one dimension");
  using P = arith::CmpFPredicate;
  auto norm = [&](Value x) {
    return tb.sqrt(tb.reduceLastAxis(tb.mul(x, x), /*max=*/false));
  };

  // Magnitudes and unit directions; a zero vector takes the other's.
  Value ma = norm(a), mc = norm(c);
  Value zero = tb.splat(0.0, ma);
  Value aZero = tb.cmp(P::OEQ, ma, zero), cZero = tb.cmp(P::OEQ, mc, zero);
  auto direction = [&](Value x, Value m, Value isZero) {
    Value safe = tb.select(isZero, tb.splat(1.0, m), m);
    return tb.div(x, tb.spread(safe, x));
  };
  Value ua0 = direction(a, ma, aZero), uc0 = direction(c, mc, cZero);
  Value ua = tb.select(tb.spread(aZero, a), uc0, ua0);
  Value uc = tb.select(tb.spread(cZero, c), ua0, uc0);

  // The angle as 2 atan2(|ua - uc|, |ua + uc|).
  Value omega = tb.mul(tb.splat(2.0, ma),
                       math::Atan2Op::create(tb.b, tb.loc, norm(tb.sub(ua, uc)),
                                             norm(tb.add(ua, uc))));

  // SLERP, or the normalized lerp where the angle is tiny.
  Value tiny = tb.cmp(P::OLT, omega, tb.splat(1e-4, omega));
  Value tT = tb.splatLike(t, omega);
  Value oneMinusT = tb.sub(tb.splat(1.0, omega), tT);
  auto sin = [&](Value x) { return math::SinOp::create(tb.b, tb.loc, x); };
  Value sinOmega = tb.select(tiny, tb.splat(1.0, omega), sin(omega));
  Value wa = tb.select(tiny, oneMinusT,
                       tb.div(sin(tb.mul(oneMinusT, omega)), sinOmega));
  Value wc = tb.select(tiny, tT, tb.div(sin(tb.mul(tT, omega)), sinOmega));
  Value e =
      tb.add(tb.mul(tb.spread(wa, ua), ua), tb.mul(tb.spread(wc, uc), uc));
  Value length = norm(e);
  Value divisor =
      tb.select(tb.cmp(P::OGT, length, zero), length, tb.splat(1.0, length));
  e = tb.select(tb.spread(tiny, e), tb.div(e, tb.spread(divisor, e)), e);

  // Retention: the tokens whose angle is far from the pair's smallest.
  Value d = tb.div(omega, tb.splat(M_PI, omega));
  Value dMax = tb.reduceLastAxis(d, /*max=*/true);
  Value dMin = arith::NegFOp::create(
      tb.b, tb.loc,
      tb.reduceLastAxis(arith::NegFOp::create(tb.b, tb.loc, d), true));
  Value cut =
      tb.add(dMin, tb.mul(tb.splatLike(gamma, dMin), tb.sub(dMax, dMin)));
  Value keep = tb.cmp(P::OGT, d, tb.spread(cut, d));
  op.replaceAllUsesWith(
      ValueRange{castTo(tb, e, op.getDirection().getType()),
                 castTo(tb, ma, op.getPreviousMagnitude().getType()),
                 castTo(tb, mc, op.getCurrentMagnitude().getType()),
                 castTo(tb, keep, op.getRetained().getType())});
  op.erase();
}

void expandRestoreLayer(RestoreLayerOp op, ModuleOp module) {
  TensorBuilder tb(op, module);
  Value e = op.getDirection();
  auto states = llvm::cast<RankedTensorType>(e.getType());
  // The per-token operands in the directions' token shape (a broadcast
  // wants the sizes to agree exactly), after checking they do.
  auto perToken = [&](Value v) {
    auto type = llvm::cast<RankedTensorType>(v.getType());
    for (int64_t d = 0; d + 1 < states.getRank(); ++d)
      tb.failUnlessSameSize(v, d, e, d,
                            "`restore_layer`: {0} magnitudes or retention "
                            "bits for {1} tokens in one dimension");
    return castTo(tb, v,
                  RankedTensorType::get(states.getShape().drop_back(),
                                        type.getElementType()));
  };
  Value magnitude = perToken(op.getMagnitude());
  Value retained = perToken(op.getRetained());
  Value merged = tb.mul(tb.spread(magnitude, e), e);
  op.replaceAllUsesWith(
      tb.select(tb.spread(retained, e), op.getRetainedValues(), merged));
  op.erase();
}

//===----------------------------------------------------------------------===//
// MaM
//===----------------------------------------------------------------------===//

/// log_softmax(logits[b, variable[b], :])[value[b]] for each sample `b`, as
/// differentiable ops: the log-softmax of every variable's classes, then one
/// element per row picked with sluice.take_along.
Value conditionalLogProb(TensorBuilder &tb, Value logits, Value variable,
                         Value value, bool inBounds, StringRef who) {
  auto type = llvm::cast<RankedTensorType>(logits.getType());
  OpBuilder &b = tb.b;
  Location loc = tb.loc;
  Value rows = tensor::DimOp::create(b, loc, logits, 0);
  Value vars = tensor::DimOp::create(b, loc, logits, 1);
  Value classes = tensor::DimOp::create(b, loc, logits, 2);
  Value samples = tensor::DimOp::create(b, loc, variable, 0);
  tb.failIf(
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, samples, rows),
      (who + ": {0} variables for {1} rows of logits").str(), samples, rows);
  tb.failUnlessSameSize(variable, 0, value, 0,
                        (who + ": {0} variables and {1} values").str());
  // In bounds, the producer vouches for the entries: no count over them
  // each step (which a CUDA build would run on the host).
  if (!inBounds) {
    tb.failIfOutside(
        variable, vars,
        (who + ": {0} sample(s) add a variable outside [0, {1})").str());
    tb.failIfOutside(
        value, classes,
        (who + ": {0} sample(s) have a class outside [0, {1})").str());
  }

  Value top = tb.spread(tb.reduceLastAxis(logits, /*max=*/true), logits);
  Value shifted = tb.sub(logits, top);
  Value total = tb.reduceLastAxis(math::ExpOp::create(b, loc, shifted), false);
  Value logSoftmax =
      tb.sub(shifted, tb.spread(math::LogOp::create(b, loc, total), logits));

  // [B, D, K] as [B, D * K], and each sample's element in it.
  int64_t flatWidth = type.isDynamicDim(1) || type.isDynamicDim(2)
                          ? ShapedType::kDynamic
                          : type.getDimSize(1) * type.getDimSize(2);
  Value width = arith::MulIOp::create(b, loc, vars, classes);
  Value shape = tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({2}, b.getIndexType()),
      ValueRange{rows, width});
  Value flat = tensor::ReshapeOp::create(
      b, loc,
      RankedTensorType::get({type.getDimSize(0), flatWidth},
                            type.getElementType()),
      logSoftmax, shape);
  auto indexType = llvm::cast<RankedTensorType>(variable.getType());
  auto positionType =
      RankedTensorType::get(indexType.getShape(), b.getI64Type());
  Value init =
      tensor::EmptyOp::create(b, loc, positionType.getShape(), b.getI64Type(),
                              tb.dynamicDims(variable));
  Value classes64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), classes);
  AffineMap all = b.getMultiDimIdentityMap(1);
  Value position =
      linalg::GenericOp::create(
          b, loc, TypeRange{positionType}, ValueRange{variable, value},
          ValueRange{init}, ArrayRef<AffineMap>{all, all, all},
          ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            auto asI64 = [&](Value x) -> Value {
              if (x.getType().isIndex())
                return arith::IndexCastOp::create(nb, nl, nb.getI64Type(), x);
              if (x.getType().getIntOrFloatBitWidth() < 64)
                return arith::ExtSIOp::create(nb, nl, nb.getI64Type(), x);
              return x;
            };
            Value at = arith::AddIOp::create(
                nb, nl,
                arith::MulIOp::create(nb, nl, asI64(args[0]), classes64),
                asI64(args[1]));
            linalg::YieldOp::create(nb, nl, ValueRange{at});
          })
          .getResult(0);
  auto resultType =
      RankedTensorType::get(indexType.getShape(), type.getElementType());
  return TakeAlongOp::create(b, loc, resultType, ValueRange{flat, position},
                             ArrayRef<NamedAttribute>{});
}

void expandConditionalNll(ConditionalNllOp op, ModuleOp module) {
  TensorBuilder tb(op, module);
  Value logProb = conditionalLogProb(
      tb, op.getConditionalLogits(), op.getVariable(), op.getValue(),
      op.getInBounds(), "`sluice.conditional_nll`");
  Value nll = arith::NegFOp::create(tb.b, tb.loc, logProb);
  tb.failUnlessSameSize(
      nll, 0, op.getResult(), 0,
      "`sluice.conditional_nll`: {0} samples for {1} results");
  op.replaceAllUsesWith(castTo(tb, nll, op.getType()));
  op.erase();
}

void expandMamResidual(MamResidualOp op, ModuleOp module) {
  TensorBuilder tb(op, module);
  Value logProb = conditionalLogProb(tb, op.getConditionalLogits(),
                                     op.getVariable(), op.getValue(),
                                     op.getInBounds(), "`sluice.mam_residual`");
  Type type = op.getType();
  Value current = op.getMarginalCurrent(), previous = op.getMarginalPrevious();
  tb.failUnlessSameSize(current, 0, previous, 0,
                        "`sluice.mam_residual`: {0} current and {1} previous "
                        "marginals");
  Value rows = tensor::DimOp::create(tb.b, tb.loc, current, 0);
  Value logits = tensor::DimOp::create(tb.b, tb.loc, logProb, 0);
  tb.failIf(arith::CmpIOp::create(tb.b, tb.loc, arith::CmpIPredicate::ne, rows,
                                  logits),
            "`sluice.mam_residual`: {0} marginals for {1} samples", rows,
            logits);
  Value residual = tb.sub(tb.sub(current, previous), castTo(tb, logProb, type));
  op.replaceAllUsesWith(residual);
  op.erase();
}

void expandMamPenalty(MamPenaltyOp op, ModuleOp module) {
  TensorBuilder tb(op, module);
  OpBuilder &b = tb.b;
  Location loc = tb.loc;
  Value r = op.getResidual();
  Type element = op.getType();
  Value count = tensor::DimOp::create(b, loc, r, 0);
  tb.failIf(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, count,
                                  arith::ConstantIndexOp::create(b, loc, 0)),
            "`sluice.mam_penalty`: the residual batch is empty");
  Value squares = tb.reduceLastAxis(tb.mul(r, r), /*max=*/false);
  Value sum = tensor::ExtractOp::create(b, loc, squares, ValueRange{});
  Value size = arith::UIToFPOp::create(
      b, loc, element,
      arith::IndexCastOp::create(b, loc, b.getI64Type(), count));
  Value mean = arith::DivFOp::create(b, loc, sum, size);
  Value offset = arith::SubFOp::create(
      b, loc, op.getMarginalEmpty(),
      tb.constant(op.getLogZ().convertToDouble(), element));
  Value penalty = arith::AddFOp::create(
      b, loc,
      arith::MulFOp::create(
          b, loc, tb.constant(double(op.getNumVars()), element), mean),
      arith::MulFOp::create(b, loc, offset, offset));
  op.replaceAllUsesWith(penalty);
  op.erase();
}

struct ExpandTechniquesPass
    : mlir::sluice::impl::ExpandTechniquesBase<ExpandTechniquesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (llvm::isa<MergeLayersOp, RestoreLayerOp, ConditionalNllOp,
                    MamResidualOp, MamPenaltyOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (auto merge = llvm::dyn_cast<MergeLayersOp>(op))
        expandMergeLayers(merge, module);
      else if (auto restore = llvm::dyn_cast<RestoreLayerOp>(op))
        expandRestoreLayer(restore, module);
      else if (auto nll = llvm::dyn_cast<ConditionalNllOp>(op))
        expandConditionalNll(nll, module);
      else if (auto residual = llvm::dyn_cast<MamResidualOp>(op))
        expandMamResidual(residual, module);
      else
        expandMamPenalty(llvm::cast<MamPenaltyOp>(op), module);
    }
  }
};

} // namespace
