//===- Autodiff.cpp - reverse-mode differentiation of sluice.grad ---------===//
//
// Each `sluice.grad %loss wrt %p...` is replaced by the adjoint of the
// computation from the `wrt` values to `%loss` in its block: the ops on some
// path between them are walked in reverse order, and each op's vector-Jacobian
// product adds its contribution to the adjoints of its operands. Values the
// loss does not depend on get zero gradients. Everything else (data, sizes,
// integer code) is a constant of the differentiation.
//
// The rules cover the tensor IR the front end generates: elementwise arith
// and math ops on scalars and tensors, linalg's matmul / matvec / vecmat /
// transpose / broadcast / reduce (sum and max) / fill, tensor's splat / cast
// / extract / extract_slice, and sluice.take_along. Anything else on the
// path is reported at the op that lacks a rule.
//
//===----------------------------------------------------------------------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>
#include <functional>
#include <limits>

namespace mlir::sluice {
#define GEN_PASS_DEF_AUTODIFF
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

bool isFloatLike(Type type) {
  return llvm::isa<FloatType>(getElementTypeOrSelf(type)) &&
         (llvm::isa<FloatType>(type) || llvm::isa<RankedTensorType>(type));
}

class Differentiator {
public:
  Differentiator(GradOp grad) : grad(grad), b(grad) {}
  LogicalResult run();

private:
  // Helpers that build at the insertion point (just before the grad op).
  Value zerosLike(Value v);
  Value constant(double value, Type type);
  Value splatLike(Value scalar, Value like);
  Value sumToScalar(Value tensor);
  Value reduceSum(Value tensor, ArrayRef<int64_t> dims, Type resultType);
  Value broadcastTo(Value v, Value like, ArrayRef<int64_t> dims);
  Value transpose(Value v, ArrayRef<int64_t> permutation);
  Value matmul(Value a, Value c, Type resultType);
  Value conditionalNllAdjoint(Value logits, Value variable, Value value,
                              Value g);
  void accumulate(Value primal, Value adjoint);
  LogicalResult backward(Operation *op, Value resultAdjoint);

  GradOp grad;
  OpBuilder b;
  Location loc = grad.getLoc();
  DenseMap<Value, Value> adjoints;
};

Value Differentiator::constant(double value, Type type) {
  Type element = getElementTypeOrSelf(type);
  Value scalar =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(element, value));
  return scalar;
}

Value Differentiator::splatLike(Value scalar, Value like) {
  auto type = llvm::dyn_cast<RankedTensorType>(like.getType());
  if (!type)
    return scalar;
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      sizes.push_back(tensor::DimOp::create(b, loc, like, i));
  return tensor::SplatOp::create(b, loc, type, scalar, sizes);
}

Value Differentiator::zerosLike(Value v) {
  return splatLike(constant(0.0, v.getType()), v);
}

Value Differentiator::reduceSum(Value tensor, ArrayRef<int64_t> dims,
                                Type resultType) {
  auto type = llvm::cast<RankedTensorType>(tensor.getType());
  Type element = type.getElementType();
  SmallVector<int64_t> shape;
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (llvm::is_contained(dims, i))
      continue;
    shape.push_back(type.getDimSize(i));
    if (type.isDynamicDim(i))
      sizes.push_back(tensor::DimOp::create(b, loc, tensor, i));
  }
  Value init = tensor::EmptyOp::create(b, loc, shape, element, sizes);
  init = linalg::FillOp::create(b, loc, ValueRange{constant(0.0, element)},
                                ValueRange{init})
             .getResult(0);
  Value sum =
      linalg::ReduceOp::create(
          b, loc, ValueRange{tensor}, ValueRange{init}, dims,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            linalg::YieldOp::create(
                nb, nl,
                ValueRange{arith::AddFOp::create(nb, nl, args[0], args[1])});
          })
          .getResult(0);
  if (sum.getType() != resultType) {
    if (llvm::isa<FloatType>(resultType))
      return tensor::ExtractOp::create(b, loc, sum, ValueRange{});
    return tensor::CastOp::create(b, loc, resultType, sum);
  }
  return sum;
}

Value Differentiator::sumToScalar(Value tensor) {
  auto type = llvm::cast<RankedTensorType>(tensor.getType());
  SmallVector<int64_t> all;
  for (int64_t i = 0; i < type.getRank(); ++i)
    all.push_back(i);
  return reduceSum(tensor, all, type.getElementType());
}

Value Differentiator::broadcastTo(Value v, Value like, ArrayRef<int64_t> dims) {
  auto type = llvm::cast<RankedTensorType>(like.getType());
  // linalg.broadcast wants the kept dimensions to agree exactly, so where
  // `v` knows a size that `like` does not, the broadcast uses it and the
  // result is cast back to `like`'s type.
  SmallVector<int64_t> shape(type.getShape());
  if (auto vType = llvm::dyn_cast<RankedTensorType>(v.getType())) {
    int64_t kept = 0;
    for (int64_t i = 0; i < type.getRank(); ++i) {
      if (llvm::is_contained(dims, i))
        continue;
      if (kept < vType.getRank() && type.isDynamicDim(i) &&
          !vType.isDynamicDim(kept))
        shape[i] = vType.getDimSize(kept);
      ++kept;
    }
  }
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (ShapedType::isDynamic(shape[i]))
      sizes.push_back(tensor::DimOp::create(b, loc, like, i));
  Value init =
      tensor::EmptyOp::create(b, loc, shape, type.getElementType(), sizes);
  Value result =
      linalg::BroadcastOp::create(b, loc, v, init, dims).getResult()[0];
  if (result.getType() != type)
    result = tensor::CastOp::create(b, loc, type, result);
  return result;
}

Value Differentiator::transpose(Value v, ArrayRef<int64_t> permutation) {
  auto type = llvm::cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  SmallVector<Value> sizes;
  for (int64_t p : permutation) {
    shape.push_back(type.getDimSize(p));
    if (type.isDynamicDim(p))
      sizes.push_back(tensor::DimOp::create(b, loc, v, p));
  }
  Value init =
      tensor::EmptyOp::create(b, loc, shape, type.getElementType(), sizes);
  return linalg::TransposeOp::create(b, loc, v, init, permutation)
      .getResult()[0];
}

/// a @ c for rank-1 or rank-2 operands, zero-initialized, of `resultType`.
Value Differentiator::matmul(Value a, Value c, Type resultType) {
  auto ta = llvm::cast<RankedTensorType>(a.getType());
  auto tc = llvm::cast<RankedTensorType>(c.getType());
  auto result = llvm::cast<RankedTensorType>(resultType);
  SmallVector<Value> sizes;
  if (ta.getRank() == 2 && result.isDynamicDim(0))
    sizes.push_back(tensor::DimOp::create(b, loc, a, 0));
  if (tc.getRank() == 2 && result.isDynamicDim(result.getRank() - 1))
    sizes.push_back(tensor::DimOp::create(b, loc, c, 1));
  Value init = tensor::EmptyOp::create(b, loc, result.getShape(),
                                       result.getElementType(), sizes);
  init = linalg::FillOp::create(b, loc, ValueRange{constant(0.0, resultType)},
                                ValueRange{init})
             .getResult(0);
  if (ta.getRank() == 2 && tc.getRank() == 2)
    return linalg::MatmulOp::create(b, loc, ValueRange{a, c}, ValueRange{init})
        .getResult(0);
  if (ta.getRank() == 2)
    return linalg::MatvecOp::create(b, loc, ValueRange{a, c}, ValueRange{init})
        .getResult(0);
  return linalg::VecmatOp::create(b, loc, ValueRange{a, c}, ValueRange{init})
      .getResult(0);
}

/// The adjoint of `-log_softmax(logits[b, variable[b], :])[value[b]]`
/// (sluice.conditional_nll) with respect to its [B, D, K] logits, given the
/// result's adjoint `g` ([B]): `g[b] * (softmax(row) - onehot(value[b]))` in
/// the row of the sample's variable, 0 in the others. The softmax is taken
/// stably, shifted by each row's maximum.
Value Differentiator::conditionalNllAdjoint(Value logits, Value variable,
                                            Value value, Value g) {
  auto type = llvm::cast<RankedTensorType>(logits.getType());
  Type element = type.getElementType();
  SmallVector<Value> rowSizes, sizes;
  for (int64_t i = 0; i < 3; ++i)
    if (type.isDynamicDim(i)) {
      sizes.push_back(tensor::DimOp::create(b, loc, logits, i));
      if (i < 2)
        rowSizes.push_back(sizes.back());
    }
  auto rowType = RankedTensorType::get(type.getShape().drop_back(), element);
  auto perRow = [&](double start) {
    Value init =
        tensor::EmptyOp::create(b, loc, rowType.getShape(), element, rowSizes);
    return linalg::FillOp::create(b, loc, constant(start, element), init)
        .getResult(0);
  };
  Value top =
      linalg::ReduceOp::create(
          b, loc, ValueRange{logits},
          ValueRange{perRow(-std::numeric_limits<double>::infinity())},
          ArrayRef<int64_t>{2},
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            linalg::YieldOp::create(nb, nl,
                                    ValueRange{arith::MaximumFOp::create(
                                        nb, nl, args[0], args[1])});
          })
          .getResult(0);
  MLIRContext *ctx = b.getContext();
  AffineMap all = b.getMultiDimIdentityMap(3);
  AffineMap rows = AffineMap::get(
      3, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)}, ctx);
  AffineMap samples = AffineMap::get(3, 0, {getAffineDimExpr(0, ctx)}, ctx);
  // The sum of exp(logit - max) over each row's classes.
  Value total =
      linalg::GenericOp::create(
          b, loc, TypeRange{rowType}, ValueRange{logits, top},
          ValueRange{perRow(0.0)}, ArrayRef<AffineMap>{all, rows, rows},
          ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                        utils::IteratorType::parallel,
                                        utils::IteratorType::reduction},
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value e = math::ExpOp::create(
                nb, nl, arith::SubFOp::create(nb, nl, args[0], args[1]));
            linalg::YieldOp::create(
                nb, nl, ValueRange{arith::AddFOp::create(nb, nl, e, args[2])});
          })
          .getResult(0);
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), element, sizes);
  Value zero = constant(0.0, element), one = constant(1.0, element);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type},
             ValueRange{logits, top, total, variable, value, g},
             ValueRange{init},
             ArrayRef<AffineMap>{all, rows, rows, samples, samples, samples,
                                 all},
             SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               auto asIndex = [&](Value v) -> Value {
                 return v.getType().isIndex()
                            ? v
                            : (Value)arith::IndexCastOp::create(
                                  nb, nl, nb.getIndexType(), v);
               };
               Value d = linalg::IndexOp::create(nb, nl, 1);
               Value k = linalg::IndexOp::create(nb, nl, 2);
               Value inRow = arith::CmpIOp::create(
                   nb, nl, arith::CmpIPredicate::eq, d, asIndex(args[3]));
               Value isValue = arith::CmpIOp::create(
                   nb, nl, arith::CmpIPredicate::eq, k, asIndex(args[4]));
               Value p = arith::DivFOp::create(
                   nb, nl,
                   math::ExpOp::create(
                       nb, nl, arith::SubFOp::create(nb, nl, args[0], args[1])),
                   args[2]);
               Value slope = arith::SubFOp::create(
                   nb, nl, p,
                   arith::SelectOp::create(nb, nl, isValue, one, zero));
               Value adjoint = arith::MulFOp::create(nb, nl, args[5], slope);
               linalg::YieldOp::create(nb, nl,
                                       ValueRange{arith::SelectOp::create(
                                           nb, nl, inRow, adjoint, zero)});
             })
      .getResult(0);
}

void Differentiator::accumulate(Value primal, Value adjoint) {
  if (!isFloatLike(primal.getType()))
    return;
  if (adjoint.getType() != primal.getType() &&
      llvm::isa<RankedTensorType>(primal.getType()))
    adjoint = tensor::CastOp::create(b, loc, primal.getType(), adjoint);
  auto it = adjoints.find(primal);
  if (it == adjoints.end()) {
    adjoints[primal] = adjoint;
    return;
  }
  it->second = arith::AddFOp::create(b, loc, it->second, adjoint);
}

/// The op's vector-Jacobian product: adds to its operands' adjoints given
/// the adjoint `g` of its (single, differentiable) result.
LogicalResult Differentiator::backward(Operation *op, Value g) {
  auto ok = success();
  if (auto add = llvm::dyn_cast<arith::AddFOp>(op)) {
    accumulate(add.getLhs(), g);
    accumulate(add.getRhs(), g);
    return ok;
  }
  if (auto sub = llvm::dyn_cast<arith::SubFOp>(op)) {
    accumulate(sub.getLhs(), g);
    accumulate(sub.getRhs(), arith::NegFOp::create(b, loc, g));
    return ok;
  }
  if (auto mul = llvm::dyn_cast<arith::MulFOp>(op)) {
    accumulate(mul.getLhs(), arith::MulFOp::create(b, loc, g, mul.getRhs()));
    accumulate(mul.getRhs(), arith::MulFOp::create(b, loc, g, mul.getLhs()));
    return ok;
  }
  if (auto div = llvm::dyn_cast<arith::DivFOp>(op)) {
    // d(a / c) = g / c, and -g a / c^2 = -(g / c) * result.
    Value overC = arith::DivFOp::create(b, loc, g, div.getRhs());
    accumulate(div.getLhs(), overC);
    accumulate(div.getRhs(),
               arith::NegFOp::create(
                   b, loc, arith::MulFOp::create(b, loc, overC, div)));
    return ok;
  }
  if (auto neg = llvm::dyn_cast<arith::NegFOp>(op)) {
    accumulate(neg.getOperand(), arith::NegFOp::create(b, loc, g));
    return ok;
  }
  if (llvm::isa<arith::MaximumFOp, arith::MinimumFOp>(op)) {
    // The chosen side gets the gradient; on a tie the right-hand side does
    // (so relu = max(x, 0) has gradient 0 at 0, as PyTorch's).
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    bool isMax = llvm::isa<arith::MaximumFOp>(op);
    Value lhsWins = arith::CmpFOp::create(
        b, loc, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
        lhs, rhs);
    Value zero = zerosLike(g);
    accumulate(lhs, arith::SelectOp::create(b, loc, lhsWins, g, zero));
    accumulate(rhs, arith::SelectOp::create(b, loc, lhsWins, zero, g));
    return ok;
  }
  if (auto select = llvm::dyn_cast<arith::SelectOp>(op)) {
    Value zero = zerosLike(g);
    accumulate(select.getTrueValue(),
               arith::SelectOp::create(b, loc, select.getCondition(), g, zero));
    accumulate(select.getFalseValue(),
               arith::SelectOp::create(b, loc, select.getCondition(), zero, g));
    return ok;
  }
  if (auto exp = llvm::dyn_cast<math::ExpOp>(op)) {
    accumulate(exp.getOperand(), arith::MulFOp::create(b, loc, g, exp));
    return ok;
  }
  if (auto log = llvm::dyn_cast<math::LogOp>(op)) {
    accumulate(log.getOperand(),
               arith::DivFOp::create(b, loc, g, log.getOperand()));
    return ok;
  }
  if (auto tanh = llvm::dyn_cast<math::TanhOp>(op)) {
    // 1 - tanh^2
    Value one = splatLike(constant(1.0, g.getType()), g);
    Value square = arith::MulFOp::create(b, loc, tanh, tanh);
    accumulate(tanh.getOperand(),
               arith::MulFOp::create(
                   b, loc, g, arith::SubFOp::create(b, loc, one, square)));
    return ok;
  }
  if (auto sqrt = llvm::dyn_cast<math::SqrtOp>(op)) {
    Value two = splatLike(constant(2.0, g.getType()), g);
    accumulate(sqrt.getOperand(),
               arith::DivFOp::create(b, loc, g,
                                     arith::MulFOp::create(b, loc, two, sqrt)));
    return ok;
  }
  if (auto erf = llvm::dyn_cast<math::ErfOp>(op)) {
    // 2 / sqrt(pi) * exp(-x^2)
    Value x = erf.getOperand();
    Value scale = splatLike(constant(2.0 / std::sqrt(M_PI), g.getType()), g);
    Value bell = math::ExpOp::create(
        b, loc,
        arith::NegFOp::create(b, loc, arith::MulFOp::create(b, loc, x, x)));
    accumulate(x, arith::MulFOp::create(
                      b, loc, g, arith::MulFOp::create(b, loc, scale, bell)));
    return ok;
  }
  if (auto abs = llvm::dyn_cast<math::AbsFOp>(op)) {
    // sign(x), taking -1 at 0: a subgradient that, with relu's 0 at 0, makes
    // the stable softplus max(x, 0) + log(1 + exp(-|x|)) exact at 0.
    Value x = abs.getOperand();
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                           zerosLike(x));
    accumulate(x, arith::SelectOp::create(b, loc, positive, g,
                                          arith::NegFOp::create(b, loc, g)));
    return ok;
  }
  if (auto pow = llvm::dyn_cast<math::PowFOp>(op)) {
    // d/da = e a^(e-1) (finite at a = 0); d/de = a^e log a, taken as 0
    // where a = 0 (as PyTorch does).
    Value a = pow.getLhs(), e = pow.getRhs();
    Value one = splatLike(constant(1.0, g.getType()), g);
    Value lower =
        math::PowFOp::create(b, loc, a, arith::SubFOp::create(b, loc, e, one));
    accumulate(a, arith::MulFOp::create(
                      b, loc, g, arith::MulFOp::create(b, loc, e, lower)));
    Value isZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, a,
                                         zerosLike(a));
    Value slope =
        arith::MulFOp::create(b, loc, pow, math::LogOp::create(b, loc, a));
    accumulate(
        e, arith::MulFOp::create(
               b, loc, g,
               arith::SelectOp::create(b, loc, isZero, zerosLike(a), slope)));
    return ok;
  }
  if (auto ext = llvm::dyn_cast<arith::ExtFOp>(op)) {
    accumulate(ext.getIn(),
               arith::TruncFOp::create(b, loc, ext.getIn().getType(), g));
    return ok;
  }
  if (auto trunc = llvm::dyn_cast<arith::TruncFOp>(op)) {
    accumulate(trunc.getIn(),
               arith::ExtFOp::create(b, loc, trunc.getIn().getType(), g));
    return ok;
  }
  if (auto splat = llvm::dyn_cast<tensor::SplatOp>(op)) {
    accumulate(splat.getInput(), sumToScalar(g));
    return ok;
  }
  if (auto cast = llvm::dyn_cast<tensor::CastOp>(op)) {
    accumulate(cast.getSource(),
               tensor::CastOp::create(b, loc, cast.getSource().getType(), g));
    return ok;
  }
  if (auto elements = llvm::dyn_cast<tensor::FromElementsOp>(op)) {
    // A list literal: element k (row-major) of the result is operand k, so
    // its adjoint is g's element k.
    auto type = llvm::cast<RankedTensorType>(elements.getType());
    ArrayRef<int64_t> shape = type.getShape();
    for (auto [k, element] : llvm::enumerate(elements.getElements())) {
      if (!isFloatLike(element.getType()) ||
          matchPattern(element, m_Constant()))
        continue;
      SmallVector<Value> position(shape.size());
      int64_t rest = int64_t(k);
      for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
        position[d] = arith::ConstantIndexOp::create(b, loc, rest % shape[d]);
        rest /= shape[d];
      }
      accumulate(element, tensor::ExtractOp::create(b, loc, g, position));
    }
    return ok;
  }
  if (auto extract = llvm::dyn_cast<tensor::ExtractOp>(op)) {
    Value zeros = zerosLike(extract.getTensor());
    accumulate(
        extract.getTensor(),
        tensor::InsertOp::create(b, loc, g, zeros, extract.getIndices()));
    return ok;
  }
  if (auto slice = llvm::dyn_cast<tensor::ExtractSliceOp>(op)) {
    Value zeros = zerosLike(slice.getSource());
    accumulate(slice.getSource(),
               tensor::InsertSliceOp::create(
                   b, loc, g, zeros, slice.getMixedOffsets(),
                   slice.getMixedSizes(), slice.getMixedStrides()));
    return ok;
  }
  if (auto broadcast = llvm::dyn_cast<linalg::BroadcastOp>(op)) {
    accumulate(broadcast.getInput(), reduceSum(g, broadcast.getDimensions(),
                                               broadcast.getInput().getType()));
    return ok;
  }
  if (auto transposeOp = llvm::dyn_cast<linalg::TransposeOp>(op)) {
    ArrayRef<int64_t> perm = transposeOp.getPermutation();
    SmallVector<int64_t> inverse(perm.size());
    for (size_t i = 0; i < perm.size(); ++i)
      inverse[perm[i]] = i;
    accumulate(transposeOp.getInput(), transpose(g, inverse));
    return ok;
  }
  if (auto mm = llvm::dyn_cast<linalg::MatmulOp>(op)) {
    if (!mm.getIndexingMaps().empty() && !mm.hasUserDefinedMaps()) {
      Value a = mm.getInputs()[0], c = mm.getInputs()[1];
      accumulate(a, matmul(g, transpose(c, {1, 0}), a.getType()));
      accumulate(c, matmul(transpose(a, {1, 0}), g, c.getType()));
      accumulate(mm.getOutputs()[0], g);
      return ok;
    }
  }
  if (auto mv = llvm::dyn_cast<linalg::MatvecOp>(op)) {
    // y = A x: dA = g x^T (outer product), dx = A^T g = g A.
    Value a = mv.getInputs()[0], x = mv.getInputs()[1];
    Value outer = arith::MulFOp::create(b, loc, broadcastTo(g, a, {1}),
                                        broadcastTo(x, a, {0}));
    accumulate(a, outer);
    accumulate(x, matmul(g, a, x.getType()));
    accumulate(mv.getOutputs()[0], g);
    return ok;
  }
  if (auto vm = llvm::dyn_cast<linalg::VecmatOp>(op)) {
    // y = x A: dx = A g, dA = x g^T.
    Value x = vm.getInputs()[0], a = vm.getInputs()[1];
    accumulate(x, matmul(a, g, x.getType()));
    Value outer = arith::MulFOp::create(b, loc, broadcastTo(x, a, {1}),
                                        broadcastTo(g, a, {0}));
    accumulate(a, outer);
    accumulate(vm.getOutputs()[0], g);
    return ok;
  }
  if (auto reduce = llvm::dyn_cast<linalg::ReduceOp>(op)) {
    if (reduce.getInputs().size() == 1) {
      Operation *combiner = &reduce.getCombiner().front().front();
      Value input = reduce.getInputs()[0];
      Value spread = broadcastTo(g, input, reduce.getDimensions());
      if (llvm::isa<arith::AddFOp>(combiner)) {
        accumulate(input, spread);
        accumulate(reduce.getInits()[0], g);
        return ok;
      }
      if (llvm::isa<arith::MaximumFOp>(combiner)) {
        // The elements equal to the maximum share its gradient's route.
        Value top =
            broadcastTo(reduce.getResult(0), input, reduce.getDimensions());
        Value isTop = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                            input, top);
        accumulate(input, arith::SelectOp::create(b, loc, isTop, spread,
                                                  zerosLike(spread)));
        return ok;
      }
    }
  }
  if (auto fill = llvm::dyn_cast<linalg::FillOp>(op)) {
    accumulate(fill.getInputs()[0], sumToScalar(g));
    return ok;
  }
  if (auto aggregate = llvm::dyn_cast<AggregateMeanOp>(op)) {
    // Linear in x: the adjoint spreads each dst row back to its srcs.
    Value x = aggregate.getX();
    accumulate(x, AggregateMeanGradOp::create(b, loc, x.getType(),
                                              aggregate.getBlock(), g));
    return ok;
  }
  if (auto penalty = llvm::dyn_cast<MamPenaltyOp>(op)) {
    // p = n * sum(r^2) / B + (f - log_z)^2: dr = 2 n g r / B,
    // df = 2 g (f - log_z).
    Value r = penalty.getResidual(), f = penalty.getMarginalEmpty();
    Type element = f.getType();
    Value count = arith::UIToFPOp::create(
        b, loc, element,
        arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                   tensor::DimOp::create(b, loc, r, 0)));
    Value twice = arith::MulFOp::create(b, loc, constant(2.0, element), g);
    Value scale = arith::DivFOp::create(
        b, loc,
        arith::MulFOp::create(
            b, loc, constant(double(penalty.getNumVars()), element), twice),
        count);
    accumulate(r, arith::MulFOp::create(b, loc, splatLike(scale, r), r));
    Value offset = arith::SubFOp::create(
        b, loc, f, constant(penalty.getLogZ().convertToDouble(), element));
    accumulate(f, arith::MulFOp::create(b, loc, twice, offset));
    return ok;
  }
  if (auto nll = llvm::dyn_cast<ConditionalNllOp>(op)) {
    Value logits = nll.getConditionalLogits();
    accumulate(logits, conditionalNllAdjoint(logits, nll.getVariable(),
                                             nll.getValue(), g));
    return ok;
  }
  if (auto residual = llvm::dyn_cast<MamResidualOp>(op)) {
    // r = f_cur - f_prev + conditional_nll(...).
    accumulate(residual.getMarginalCurrent(), g);
    accumulate(residual.getMarginalPrevious(),
               arith::NegFOp::create(b, loc, g));
    Value logits = residual.getConditionalLogits();
    accumulate(logits, conditionalNllAdjoint(logits, residual.getVariable(),
                                             residual.getValue(), g));
    return ok;
  }
  if (auto take = llvm::dyn_cast<TakeAlongOp>(op)) {
    // dx[i, j] = g[i] where j == labels[i], else 0.
    Value x = take.getX(), labels = take.getLabels();
    auto xType = llvm::cast<RankedTensorType>(x.getType());
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < 2; ++i)
      if (xType.isDynamicDim(i))
        sizes.push_back(tensor::DimOp::create(b, loc, x, i));
    Value init = tensor::EmptyOp::create(b, loc, xType.getShape(),
                                         xType.getElementType(), sizes);
    MLIRContext *ctx = b.getContext();
    AffineMap rows = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
    AffineMap all = b.getMultiDimIdentityMap(2);
    Value zero = constant(0.0, xType.getElementType());
    Value scattered =
        linalg::GenericOp::create(
            b, loc, TypeRange{xType}, ValueRange{labels, g}, ValueRange{init},
            ArrayRef<AffineMap>{rows, rows, all},
            SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value j = linalg::IndexOp::create(nb, nl, 1);
              Value label = arith::IndexCastOp::create(
                  nb, nl, nb.getIndexType(), args[0]);
              Value hit = arith::CmpIOp::create(
                  nb, nl, arith::CmpIPredicate::eq, j, label);
              linalg::YieldOp::create(nb, nl,
                                      ValueRange{arith::SelectOp::create(
                                          nb, nl, hit, args[1], zero)});
            })
            .getResult(0);
    accumulate(x, scattered);
    return ok;
  }
  if (auto insert = llvm::dyn_cast<tensor::InsertSliceOp>(op)) {
    // (concat) The slice's adjoint is the same window of g; the rest of g
    // belongs to the destination, whose window was overwritten.
    Value source = insert.getSource(), dest = insert.getDest();
    auto sourceType = llvm::cast<RankedTensorType>(source.getType());
    SmallVector<OpFoldResult> offsets = insert.getMixedOffsets(),
                              sizes = insert.getMixedSizes(),
                              strides = insert.getMixedStrides();
    accumulate(source, tensor::ExtractSliceOp::create(b, loc, sourceType, g,
                                                      offsets, sizes, strides));
    accumulate(dest, tensor::InsertSliceOp::create(b, loc, zerosLike(source), g,
                                                   offsets, sizes, strides));
    return ok;
  }
  if (auto reshape = llvm::dyn_cast<tensor::ReshapeOp>(op)) {
    // The same elements in the input's shape.
    Value x = reshape.getSource();
    auto xType = llvm::cast<RankedTensorType>(x.getType());
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < xType.getRank(); ++i)
      sizes.push_back(tensor::DimOp::create(b, loc, x, i));
    Value shape = tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({xType.getRank()}, b.getIndexType()),
        sizes);
    accumulate(x, tensor::ReshapeOp::create(b, loc, xType, g, shape));
    return ok;
  }
  if (auto gather = llvm::dyn_cast<GatherOp>(op)) {
    // Rows of a tensor (an embedding's lookup): the adjoint adds each
    // result row back into the row it came from, repeated indices adding
    // up (scatter-add). The forward gather has checked every index.
    Value source = gather.getSource();
    auto sourceType = llvm::dyn_cast<RankedTensorType>(source.getType());
    if (!sourceType)
      return op->emitOpError("reads a table, which has no gradient; the "
                             "loss being differentiated depends on the "
                             "parameters through it");
    Value indices = gather.getIndices();
    Value count = tensor::DimOp::create(b, loc, indices, 0);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    int64_t rank = sourceType.getRank();
    auto loop = scf::ForOp::create(
        b, loc, zero, count, one, ValueRange{zerosLike(source)},
        [&](OpBuilder &lb, Location ll, Value i, ValueRange carried) {
          Value index = tensor::ExtractOp::create(lb, ll, indices, i);
          Value row = index.getType().isIndex()
                          ? index
                          : (Value)arith::IndexCastOp::create(
                                lb, ll, lb.getIndexType(), index);
          Value sum = carried[0];
          if (rank == 1) {
            Value old = tensor::ExtractOp::create(lb, ll, sum, row);
            Value add = tensor::ExtractOp::create(lb, ll, g, i);
            sum = tensor::InsertOp::create(
                lb, ll, arith::AddFOp::create(lb, ll, old, add), sum, row);
          } else {
            // One row of every further dimension: offsets [r, 0, ...],
            // sizes [1, dims...].
            SmallVector<OpFoldResult> sizes = {lb.getIndexAttr(1)};
            for (int64_t d = 1; d < rank; ++d)
              sizes.push_back(
                  sourceType.isDynamicDim(d)
                      ? OpFoldResult(
                            tensor::DimOp::create(lb, ll, sum, d).getResult())
                      : OpFoldResult(
                            lb.getIndexAttr(sourceType.getDimSize(d))));
            SmallVector<OpFoldResult> strides(rank, lb.getIndexAttr(1));
            auto at = [&](Value first) {
              SmallVector<OpFoldResult> offsets = {first};
              offsets.append(rank - 1, lb.getIndexAttr(0));
              return offsets;
            };
            Value old = tensor::ExtractSliceOp::create(lb, ll, sum, at(row),
                                                       sizes, strides);
            Value add = tensor::ExtractSliceOp::create(lb, ll, g, at(i), sizes,
                                                       strides);
            Value added = arith::AddFOp::create(lb, ll, old, add);
            sum = tensor::InsertSliceOp::create(lb, ll, added, sum, at(row),
                                                sizes, strides);
          }
          scf::YieldOp::create(lb, ll, sum);
        });
    accumulate(source, loop.getResult(0));
    return ok;
  }
  return op->emitOpError("has no gradient rule yet, and the loss being "
                         "differentiated depends on the parameters through it");
}

LogicalResult Differentiator::run() {
  Block *block = grad->getBlock();
  Value loss = grad.getLoss();
  // The computation is read from the step's own block: a loss computed in
  // an enclosing block (before a loop or `if` around the step) would
  // silently get zero gradients.
  if (loss.getParentBlock() != block &&
      !llvm::is_contained(grad.getWrt(), loss))
    return grad.emitOpError(
        "differentiates a loss computed outside its own block; compute the "
        "loss next to the step (inside the same loop or `if` body)");
  // The loss may only reach the parameters through ops of this block: a
  // value computed in an enclosing block from them would silently give
  // zero gradients.
  {
    llvm::SmallDenseSet<Value> wrtSet(grad.getWrt().begin(),
                                      grad.getWrt().end());
    // Inside a loop the parameters are its iteration arguments; a value
    // computed before the loop depends on their initial values.
    SmallVector<Value> pending(grad.getWrt().begin(), grad.getWrt().end());
    while (!pending.empty()) {
      auto argument = llvm::dyn_cast<BlockArgument>(pending.pop_back_val());
      if (!argument)
        continue;
      auto loop =
          llvm::dyn_cast<scf::ForOp>(argument.getOwner()->getParentOp());
      if (!loop || argument.getArgNumber() == 0)
        continue; // not a loop, or the induction variable
      Value init = loop.getInitArgs()[argument.getArgNumber() - 1];
      if (wrtSet.insert(init).second)
        pending.push_back(init);
    }
    DenseMap<Value, bool> memo;
    std::function<bool(Value)> reaches = [&](Value v) -> bool {
      if (wrtSet.contains(v))
        return true;
      auto it = memo.find(v);
      if (it != memo.end())
        return it->second;
      memo[v] = false;
      Operation *def = v.getDefiningOp();
      bool result = def && llvm::any_of(def->getOperands(), reaches);
      return memo[v] = result;
    };
    Operation *outside = nullptr;
    std::function<void(Value)> scan = [&](Value v) {
      Operation *def = v.getDefiningOp();
      if (!def || outside || wrtSet.contains(v))
        return;
      if (def->getBlock() != block) {
        if (reaches(v))
          outside = def;
        return;
      }
      for (Value operand : def->getOperands())
        scan(operand);
    };
    scan(loss);
    if (outside) {
      InFlightDiagnostic diag = grad.emitOpError(
          "differentiates a loss that depends on the parameters through a "
          "value computed outside its own block; compute it next to the "
          "step (inside the same loop or `if` body)");
      diag.attachNote(outside->getLoc()) << "computed here";
      return failure();
    }
  }
  // Ops in the block before the grad op that depend on a wrt value...
  llvm::SetVector<Value> fromWrt(grad.getWrt().begin(), grad.getWrt().end());
  SmallVector<Operation *> forward;
  for (Operation &op : *block) {
    if (&op == grad.getOperation())
      break;
    bool depends = false;
    op.walk([&](Operation *inner) {
      for (Value operand : inner->getOperands())
        depends |= fromWrt.contains(operand);
    });
    if (!depends)
      continue;
    forward.push_back(&op);
    for (Value result : op.getResults())
      fromWrt.insert(result);
  }
  // ... and that the loss depends on (the rest needs no adjoint).
  llvm::SmallPtrSet<Operation *, 32> needed;
  llvm::SmallDenseSet<Value> toLoss = {loss};
  for (Operation *op : llvm::reverse(forward)) {
    bool feeds = llvm::any_of(op->getResults(),
                              [&](Value r) { return toLoss.contains(r); });
    if (!feeds)
      continue;
    needed.insert(op);
    for (Value operand : op->getOperands())
      toLoss.insert(operand);
  }

  b.setInsertionPoint(grad);
  adjoints[loss] = splatLike(constant(1.0, loss.getType()), loss);
  for (Operation *op : llvm::reverse(forward)) {
    if (!needed.contains(op))
      continue;
    // Integer and boolean results (indices, comparisons) carry no gradient.
    Value result;
    for (Value r : op->getResults())
      if (adjoints.count(r)) {
        if (result)
          return op->emitOpError("has several differentiable results; no "
                                 "gradient rule covers it");
        result = r;
      }
    if (!result)
      continue;
    if (op->getNumRegions() != 0 &&
        !llvm::isa<linalg::LinalgOp, linalg::BroadcastOp, linalg::TransposeOp,
                   linalg::ReduceOp>(op))
      return op->emitOpError("is control flow between the parameters and the "
                             "loss; differentiating through it is not "
                             "supported yet");
    // Only float operands that depend on the parameters take a gradient
    // (sizes read from parameter-derived tensors do not).
    if (llvm::none_of(op->getOperands(), [&](Value operand) {
          return isFloatLike(operand.getType()) && fromWrt.contains(operand);
        }))
      continue;
    if (failed(backward(op, adjoints[result])))
      return failure();
  }
  SmallVector<Value> gradients;
  for (Value wrt : grad.getWrt()) {
    auto it = adjoints.find(wrt);
    gradients.push_back(it != adjoints.end() ? it->second : zerosLike(wrt));
  }
  grad.replaceAllUsesWith(gradients);
  grad.erase();
  return success();
}

struct AutodiffPass : sluice::impl::AutodiffBase<AutodiffPass> {
  void runOnOperation() override {
    // Code generation threads every variable and parameter through every
    // loop and `if`, changed or not. Drop the unchanged ones first (only
    // scf's own patterns: no folding or CSE that could merge a parameter
    // with equal data), so a parameter is one value from loss to step.
    RewritePatternSet patterns(&getContext());
    scf::ForOp::getCanonicalizationPatterns(patterns, &getContext());
    scf::IfOp::getCanonicalizationPatterns(patterns, &getContext());
    GreedyRewriteConfig config;
    config.enableFolding(false);
    config.enableConstantCSE(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    SmallVector<GradOp> grads;
    getOperation().walk([&](GradOp op) { grads.push_back(op); });
    for (GradOp op : grads)
      if (failed(Differentiator(op).run()))
        return signalPassFailure();
  }
};

} // namespace
