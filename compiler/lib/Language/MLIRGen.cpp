//===- MLIRGen.cpp - Sluice AST to sluice IR ------------------------------===//
//
// Generates one `func.func` per pipeline (and a `main` that runs them in
// order). Functions, models and optimizers are compile-time entities: calls
// are inlined, a model instance is its tree of trainable parameters, and an
// optimizer's `update` rule is expanded once per parameter. Mutable state
// (`var`s, parameters, optimizer state) lives in cells that structured
// control flow threads through `iter_args` and `scf.if` results; cells a
// loop does not change are folded away by canonicalization.
//
// Every op is located at the source range it came from.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/RuntimeCalls.h"
#include "sluice/Dialect/Sluice/IR/SluiceDialect.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/IR/SluiceTypes.h"
#include "sluice/Language/Frontend.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"

#include <cmath>
#include <limits>
#include <map>
#include <sstream>

using namespace mlir;

namespace sluice::lang {
namespace {

namespace ms = mlir::sluice;

struct ModelInst;
struct OptInst;

/// A mutable slot: a `var`, a trainable parameter, an optimizer state.
struct Cell {
  Value value;
};

/// What an expression evaluates to at compile time.
struct GenValue {
  enum Kind {
    None,
    SSA,
    Model,
    Optimizer,
    ModuleNs,
    Function,
    Batches,
    RangeV,
    Builtin,
    CellRef,
    Cache
  } kind = None;
  Value value;     // SSA; Batches: the indices; Range: low; Cache: restored
  Value aux, aux2; // Batches: size, seed; Range: high; Cache: bytes (i64)
  bool shuffle = false;             // Batches
  std::shared_ptr<ModelInst> model; // Model; Function: the bound `self`
  std::shared_ptr<OptInst> opt;     // Optimizer
  const Module *module = nullptr;   // ModuleNs
  const FnDecl *fn = nullptr;       // Function
  std::string builtin;              // Builtin ("Blocks.layer", ...)
  Cell *cell = nullptr;             // CellRef

  static GenValue ssa(Value v) {
    GenValue g;
    g.kind = SSA;
    g.value = v;
    return g;
  }
};

struct ModelInst {
  const ModelDecl *decl;
  std::map<std::string, GenValue> scope; // ctor args and members
  std::vector<Cell *> params;            // every trainable parameter, nested
};

struct OptInst {
  const OptimizerDecl *decl;
  std::shared_ptr<ModelInst> model;
  std::map<std::string, GenValue> args;
  std::vector<std::map<std::string, Cell *>> states; // per parameter
  Cell *step;
};

class GenError {};

class MLIRGen {
public:
  MLIRGen(Program &program, Reporter &r)
      : program(program), r(r), context(r.getContext()), b(context) {}

  OwningOpRef<ModuleOp> run();

private:
  /// The op location for a source range: inside an inlined call, the
  /// range's own place called from the call's (so run-time errors and debug
  /// info show both).
  Location loc(SMRange range) {
    Location here = r.pointLoc(range);
    if (callSites.empty())
      return here;
    return CallSiteLoc::get(here, callSites.back());
  }
  [[noreturn]] void unsupported(SMRange range, const Twine &what) {
    auto diag = r.error(range, what);
    // Inside inlined calls: name each call, innermost first.
    for (auto it = callSites.rbegin(); it != callSites.rend(); ++it) {
      Location site = *it;
      if (auto nested = llvm::dyn_cast<CallSiteLoc>(site))
        site = nested.getCallee();
      diag.attachNote(site) << "called from here";
    }
    throw GenError();
  }

  // Types.
  mlir::Type scalarType(lang::Scalar s);
  mlir::Type irType(const lang::Type &t, SMRange range);

  // Scopes.
  void bind(const std::string &name, GenValue v) { scopes.back()[name] = v; }
  GenValue *find(const std::string &name);
  Cell *newCell(Value v) {
    cells.push_back(std::make_unique<Cell>(Cell{v}));
    live.push_back(cells.back().get());
    return cells.back().get();
  }

  // Statements.
  void genBlock(const std::vector<StmtPtr> &body);
  void genStmt(const Stmt &s);
  void genFor(const Stmt &s);
  void genSelectHardest(const Stmt &s, const GenValue &batches);
  Value batchSlice(Value indices, Value i, Value size, Value n, Location l);
  void genLoopBody(const Stmt &s, Value element);
  void genIf(const Stmt &s);
  template <typename BodyFn>
  void carriedFor(Location l, Value lo, Value hi, BodyFn body);

  // Expressions.
  GenValue gen(const Expr &e, const lang::Type *expected = nullptr);
  Value genValue(const Expr &e, const lang::Type *expected = nullptr);
  GenValue genCall(const Expr &e, const lang::Type *expected);
  GenValue genBuiltin(const std::string &name, const Expr &call,
                      const lang::Type *expected, const GenValue *self);
  GenValue inlineFn(const FnDecl &fn, const Expr &call,
                    std::shared_ptr<ModelInst> self);
  /// inlineFn with the arguments' values already generated (`call` is the
  /// place the expansion is attributed to).
  GenValue expandFn(const FnDecl &fn, const std::vector<GenValue> &values,
                    const Expr &call, std::shared_ptr<ModelInst> self);
  /// MaM's marginal self-consistency residual (`self_consistency`).
  /// and, without `marginal`, its conditional term alone (`conditional_nll`,
  /// named `name` in messages).
  Value selfConsistency(const GenValue *marginal, const GenValue &conditional,
                        Value x, Value seed, RankedTensorType result,
                        const Expr &call, StringRef name);
  /// `seed` mixed with the enclosing loop counters (seed * 1000003 + i for
  /// each, outermost first), so that draws in a loop differ per iteration.
  Value mixLoopCounters(Value seed, Location l);
  /// `v`'s elements in `shape` (dynamic sizes from `sizes`, one per axis).
  Value reshapeTo(Value v, ArrayRef<Value> sizes, ArrayRef<int64_t> shape,
                  Location l);
  /// MiniCache's cross-layer merge of the KV cache `kv` (`merge_layers`).
  GenValue mergeLayers(Value kv, Value from, Value t, Value gamma,
                       const Expr &call);
  /// Uniform draws in [0, 1), f64, one per element of a tensor of `shape`
  /// (`dims`: its dynamic sizes), from a seed known at run time.
  Value unitDraws(Value seed, uint64_t stream, ArrayRef<int64_t> shape,
                  ValueRange dims, Location l);
  std::shared_ptr<ModelInst> instantiate(const ModelDecl &model,
                                         const Expr &call);
  std::shared_ptr<OptInst> makeOptimizer(const OptimizerDecl &opt,
                                         const Expr &call);
  void step(OptInst &opt, Value loss, Location l);
  std::vector<const Expr *> bindArgs(const std::vector<ParamDecl> &params,
                                     const Expr &call, size_t skip = 0);

  // Tensor helpers.
  Value toIndex(Value v, Location l);
  Value toI64(Value v, Location l);
  Value constantFloat(double v, mlir::Type t, Location l);
  Value castScalar(Value v, mlir::Type to, Location l);
  Value splatLike(Value scalar, Value like, Location l);
  Value emptyLike(Value like, mlir::Type element, Location l);
  /// Both sides at one element type (a scalar side converted) and one shape
  /// (broadcast, sizes checked).
  std::pair<Value, Value> broadcastPair(Value a, Value c, Location l);
  void checkSizes(Value a, int64_t axisA, Value c, int64_t axisC, Location l);
  /// Stops the program (failIf, naming `opName` and the place)
  /// when the index values differ.
  void checkSizesAtRunTime(Value da, Value dc, Location l);
  /// Casts `value` to `want`, first checking at run time each size `want`
  /// fixes that `value` leaves open (`let b: f32[6] = w` with `w: f32[?]`):
  /// a cast alone would read past a smaller tensor.
  Value castChecked(Value value, RankedTensorType want, const Twine &what,
                    SMRange range);
  /// Checks a value against the symbolic sizes of its declared type.
  void checkDeclaredSizes(const lang::Type &declared, Value value,
                          const Stmt &s);
  /// Stops the program at `l` with `message` (sluice_rt_check_error) when
  /// `failed` (an i1) holds; `{0}` and `{1}` in the message print `a` and
  /// `c` (integers or indices; none: 0).
  void failIf(Value failed, const Twine &message, Location l, Value a = {},
              Value c = {});
  /// Stops the program when any element of the i1 tensor `mask` holds;
  /// `{0}` in the message prints how many do.
  void failIfAny(Value mask, const Twine &message, Location l);
  /// A zero divisor is an error (at compile time where it is a literal), and
  /// so is the one quotient that overflows (the most negative value / -1):
  /// the hardware would stop the program with SIGFPE.
  void checkIntegerDivision(TokenKind op, Value a, Value c, Location l);
  /// After each `sample` of `fn` whose blocks are read only at constant
  /// layers: stops the program unless it made as many layers as are read.
  void checkSampledLayers(func::FuncOp fn);
  /// Stops the program where `index` is outside dimension `dim` of `tensor`
  /// (a compile-time error where both are known).
  void checkIndex(Value index, Value tensor, int64_t dim, SMRange range);
  /// `batches`' size as an index, stopping the program where it is not
  /// positive (a flag such as `--batch 0`).
  Value checkedBatchSize(Value size, Location l);
  Value binary(TokenKind op, Value a, Value c, Location l);
  Value matmul(Value a, Value c, Location l);
  Value reduce(Value x, bool mean, Location l);
  Value reduceLastAxis(Value x, bool max, Location l);
  Value broadcastLastAxis(Value v, Value like, Location l);
  Value mapUnary(const std::string &name, Value x, Location l);
  Value convert(Value x, mlir::Type element, Location l);
  Value fill(double value, RankedTensorType type, ValueRange dims, Location l);
  SmallVector<Value> dynamicDims(Value tensor, Location l);
  SmallVector<Value> dynamicDimsFor(const lang::Type &t, RankedTensorType ty,
                                    SMRange range);
  /// `declared` with each `?` that the annotation spells as a name (a `let`
  /// computed from others, which sema does not treat as a dimension) given
  /// that name again, so that a creation such as `zeros()` reads its value.
  lang::Type namedWhereOpen(const lang::Type &declared,
                            const TypeExpr &written);
  Value dimValue(const Dim &d, SMRange range);

  Program &program;
  Reporter &r;
  MLIRContext *context;
  OpBuilder b;
  ModuleOp module;
  std::vector<std::map<std::string, GenValue>> scopes;
  std::vector<std::unique_ptr<Cell>> cells;
  std::vector<Cell *> live;   // cells visible at this point, outermost first
  std::vector<Value> loopIvs; // enclosing loop counters (for shuffle seeds)
  std::vector<Location> callSites; // the calls being inlined, innermost last
  // Function calls expanded so far, and the most a program may have.
  int64_t inlinedCalls = 0;
  static constexpr int64_t kMaxInlinedCalls = 100000;
  // The operator being generated, for size errors: its source and name.
  SMRange opRange;
  std::string opName;
  std::map<const Module *, std::map<std::string, GenValue>> globals;
  std::map<std::string, Value> paramValues;
  const Module *currentModule = nullptr;
  int64_t seedCounter = 0;
  std::map<std::string, ms::Placement> placements; // from the schedule

  static std::optional<std::string> pathText(const Expr &e) {
    if (e.kind == ExprKind::Name)
      return e.text;
    if (e.kind == ExprKind::Member)
      if (auto base = pathText(*e.operands[0]))
        return *base + "." + e.text;
    return std::nullopt;
  }
};

GenValue *MLIRGen::find(const std::string &name) {
  for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
    auto found = it->find(name);
    if (found != it->end())
      return &found->second;
  }
  auto &g = globals[currentModule];
  auto found = g.find(name);
  return found == g.end() ? nullptr : &found->second;
}

mlir::Type MLIRGen::scalarType(lang::Scalar s) {
  switch (s) {
  case lang::Scalar::Bool:
    return b.getI1Type();
  case lang::Scalar::Int:
    return b.getI64Type();
  case lang::Scalar::I32:
    return b.getI32Type();
  case lang::Scalar::F32:
    return b.getF32Type();
  case lang::Scalar::F64:
    return b.getF64Type();
  }
  return b.getF32Type();
}

mlir::Type MLIRGen::irType(const lang::Type &t, SMRange range) {
  switch (t.kind) {
  case lang::Type::Scalar:
    return scalarType(t.scalar);
  case lang::Type::Str:
  case lang::Type::Path:
    return ms::StrType::get(context);
  case lang::Type::List:
    return RankedTensorType::get({ShapedType::kDynamic}, scalarType(t.scalar));
  case lang::Type::Tensor: {
    if (t.unranked)
      return UnrankedTensorType::get(scalarType(t.scalar));
    SmallVector<int64_t> shape;
    // The static sizes' byte count must fit the 64-bit size arithmetic of
    // allocations (a larger one would wrap to a small buffer).
    uint64_t bytes = 8;
    for (const Dim &d : t.dims) {
      shape.push_back(d.kind == Dim::Static ? d.value : ShapedType::kDynamic);
      if (d.kind == Dim::Static &&
          (d.value < 0 ||
           __builtin_mul_overflow(bytes, uint64_t(d.value), &bytes) ||
           bytes > (uint64_t(1) << 62)))
        unsupported(range, "the tensor type `" + t.str() +
                               "` is too large: its size in bytes does not "
                               "fit in 64 bits");
    }
    return RankedTensorType::get(shape, scalarType(t.scalar));
  }
  case lang::Type::Table: {
    SmallVector<int64_t> shape;
    for (const Dim &d : t.dims)
      shape.push_back(d.kind == Dim::Static ? d.value : ShapedType::kDynamic);
    return ms::TableType::get(context, shape, scalarType(t.scalar),
                              ms::Placement::Auto);
  }
  case lang::Type::Graph:
    return ms::GraphType::get(context);
  case lang::Type::Dataset:
    return ms::DatasetType::get(context);
  case lang::Type::Blocks:
    return ms::BlocksType::get(context);
  case lang::Type::Block:
    return ms::BlockType::get(context);
  default:
    unsupported(range, "code generation does not support values of type " +
                           t.str() + " here yet");
  }
}

//===----------------------------------------------------------------------===//
// Tensor helpers
//===----------------------------------------------------------------------===//

Value MLIRGen::toIndex(Value v, Location l) {
  if (v.getType().isIndex())
    return v;
  return arith::IndexCastOp::create(b, l, b.getIndexType(), v);
}

Value MLIRGen::toI64(Value v, Location l) {
  if (v.getType().isInteger(64))
    return v;
  if (v.getType().isIndex())
    return arith::IndexCastOp::create(b, l, b.getI64Type(), v);
  return arith::ExtSIOp::create(b, l, b.getI64Type(), v);
}

Value MLIRGen::constantFloat(double v, mlir::Type t, Location l) {
  return arith::ConstantOp::create(b, l, t, b.getFloatAttr(t, v));
}

Value MLIRGen::castScalar(Value v, mlir::Type to, Location l) {
  mlir::Type from = v.getType();
  if (from == to)
    return v;
  if (from.isIndex())
    v = toI64(v, l), from = v.getType();
  if (isa<FloatType>(from) && isa<FloatType>(to))
    return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
               ? (Value)arith::ExtFOp::create(b, l, to, v)
               : (Value)arith::TruncFOp::create(b, l, to, v);
  if (isa<IntegerType>(from) && isa<FloatType>(to))
    return from.isInteger(1) ? (Value)arith::UIToFPOp::create(b, l, to, v)
                             : (Value)arith::SIToFPOp::create(b, l, to, v);
  if (isa<FloatType>(from) && isa<IntegerType>(to))
    return arith::FPToSIOp::create(b, l, to, v);
  if (to.isIndex())
    return toIndex(v, l);
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fw < tw)
    return from.isInteger(1) ? (Value)arith::ExtUIOp::create(b, l, to, v)
                             : (Value)arith::ExtSIOp::create(b, l, to, v);
  return arith::TruncIOp::create(b, l, to, v);
}

SmallVector<Value> MLIRGen::dynamicDims(Value tensor, Location l) {
  SmallVector<Value> dims;
  auto type = cast<RankedTensorType>(tensor.getType());
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      dims.push_back(tensor::DimOp::create(b, l, tensor, i));
  return dims;
}

Value MLIRGen::emptyLike(Value like, mlir::Type element, Location l) {
  auto type = cast<RankedTensorType>(like.getType());
  return tensor::EmptyOp::create(b, l, type.getShape(), element,
                                 dynamicDims(like, l));
}

Value MLIRGen::splatLike(Value scalar, Value like, Location l) {
  auto type = cast<RankedTensorType>(like.getType());
  auto result = RankedTensorType::get(type.getShape(), scalar.getType());
  return tensor::SplatOp::create(b, l, result, scalar, dynamicDims(like, l));
}

Value MLIRGen::fill(double value, RankedTensorType type, ValueRange dims,
                    Location l) {
  Value empty = tensor::EmptyOp::create(b, l, type.getShape(),
                                        type.getElementType(), dims);
  mlir::Type element = type.getElementType();
  Value v = isa<FloatType>(element)
                ? constantFloat(value, element, l)
                : (Value)arith::ConstantOp::create(
                      b, l, element, b.getIntegerAttr(element, int64_t(value)));
  return linalg::FillOp::create(b, l, v, empty).getResult(0);
}

/// Dimension `axis` of `v` as far as code generation can see: a `?` given
/// by an annotation (a tensor.cast) to a tensor of static size has that
/// size, which canonicalization will find too (and then reject a mismatch in
/// the ops' verifiers, after any run-time check could tell the user).
static int64_t knownDim(Value v, int64_t axis) {
  while (true) {
    auto type = cast<RankedTensorType>(v.getType());
    if (!type.isDynamicDim(axis))
      return type.getDimSize(axis);
    auto cast = v.getDefiningOp<tensor::CastOp>();
    if (!cast)
      return ShapedType::kDynamic;
    auto source = dyn_cast<RankedTensorType>(cast.getSource().getType());
    if (!source || source.getRank() != type.getRank())
      return ShapedType::kDynamic;
    v = cast.getSource();
  }
}

void MLIRGen::checkSizes(Value a, int64_t axisA, Value c, int64_t axisC,
                         Location l) {
  int64_t sa = knownDim(a, axisA), sc = knownDim(c, axisC);
  if (!ShapedType::isDynamic(sa) && !ShapedType::isDynamic(sc)) {
    if (sa != sc)
      unsupported(opRange, "sizes do not match in " + opName + ": " +
                               Twine(sa) + " and " + Twine(sc) +
                               " (known only after the `?` sizes of the "
                               "types were resolved)");
    return;
  }
  // Sema saw `?`: the sizes meet at run time, and a mismatch stops the
  // program with the operator's place rather than reading out of bounds.
  checkSizesAtRunTime(tensor::DimOp::create(b, l, a, axisA),
                      tensor::DimOp::create(b, l, c, axisC), l);
}

void MLIRGen::checkSizesAtRunTime(Value da, Value dc, Location l) {
  failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, da, dc),
         "sizes do not match in " + opName + ": {0} and {1}", l, da, dc);
}

Value MLIRGen::castChecked(Value value, RankedTensorType want,
                           const Twine &what, SMRange range) {
  auto have = cast<RankedTensorType>(value.getType());
  Location l = loc(range);
  for (int64_t i = 0; i < want.getRank(); ++i) {
    if (want.isDynamicDim(i) || !have.isDynamicDim(i))
      continue;
    opRange = range;
    opName = (what + " (dimension " + Twine(i) + ")").str();
    int64_t known = knownDim(value, i);
    if (!ShapedType::isDynamic(known)) {
      if (known != want.getDimSize(i))
        unsupported(range, "sizes do not match in " + opName + ": " +
                               Twine(known) + " and " +
                               Twine(want.getDimSize(i)) +
                               " (known only after the `?` sizes of the "
                               "types were resolved)");
      continue;
    }
    checkSizesAtRunTime(
        tensor::DimOp::create(b, l, value, i),
        arith::ConstantIndexOp::create(b, l, want.getDimSize(i)), l);
  }
  return tensor::CastOp::create(b, l, want, value);
}

void MLIRGen::checkDeclaredSizes(const lang::Type &declared, Value value,
                                 const Stmt &s) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (declared.kind != lang::Type::Tensor || declared.unranked || !type ||
      type.getRank() != int64_t(declared.dims.size()))
    return;
  for (size_t i = 0; i < declared.dims.size(); ++i) {
    const Dim &d = declared.dims[i];
    if (d.kind != Dim::Symbol)
      continue; // static sizes were checked by sema; `?` asks for none
    Location l = loc(s.range);
    opRange = s.range;
    opName = "`" + s.name + ": " + declared.str() + "` (dimension " +
             std::to_string(i) + ")";
    checkSizesAtRunTime(tensor::DimOp::create(b, l, value, i),
                        dimValue(d, s.type ? s.type->range : s.range), l);
  }
}

std::pair<Value, Value> MLIRGen::broadcastPair(Value a, Value c, Location l) {
  // A scalar side takes the other side's element type first.
  mlir::Type ea = getElementTypeOrSelf(a.getType());
  mlir::Type ec = getElementTypeOrSelf(c.getType());
  if (ea != ec) {
    if (!isa<ShapedType>(c.getType()))
      c = castScalar(c, ea, l);
    else if (!isa<ShapedType>(a.getType()))
      a = castScalar(a, ec, l);
  }
  auto ta = dyn_cast<RankedTensorType>(a.getType());
  auto tc = dyn_cast<RankedTensorType>(c.getType());
  if (!ta && !tc)
    return {a, c};
  if (!ta)
    return {splatLike(a, c, l), c};
  if (!tc)
    return {a, splatLike(c, a, l)};
  // Aligned from the last dimension, sizes agree or one of them is 1.
  for (int64_t i = 1; i <= std::min(ta.getRank(), tc.getRank()); ++i) {
    int64_t sa = ta.getDimSize(ta.getRank() - i);
    int64_t sc = tc.getDimSize(tc.getRank() - i);
    if (sa == 1 || sc == 1)
      continue;
    checkSizes(a, ta.getRank() - i, c, tc.getRank() - i, l);
  }
  // Lower rank: broadcast along the leading dimensions of the other side.
  auto expand = [&](Value small, Value big) -> Value {
    auto ts = cast<RankedTensorType>(small.getType());
    auto tb = cast<RankedTensorType>(big.getType());
    int64_t offset = tb.getRank() - ts.getRank();
    // linalg.broadcast wants the kept sizes to agree statically: take the
    // big side's static sizes (sema checked they match).
    SmallVector<int64_t> kept(ts.getShape());
    for (int64_t i = 0; i < ts.getRank(); ++i)
      if (!tb.isDynamicDim(offset + i) && tb.getDimSize(offset + i) != 1 &&
          kept[i] != 1)
        kept[i] = tb.getDimSize(offset + i);
    if (ArrayRef<int64_t>(kept) != ts.getShape()) {
      small = tensor::CastOp::create(
          b, l, RankedTensorType::get(kept, ts.getElementType()), small);
      ts = cast<RankedTensorType>(small.getType());
    }
    SmallVector<int64_t> added;
    for (int64_t i = 0; i < offset; ++i)
      added.push_back(i);
    // The big side's leading sizes, then the small side's own (a size-1
    // dimension of either stretches afterwards).
    SmallVector<int64_t> shape(tb.getShape().take_front(offset));
    shape.append(ts.getShape().begin(), ts.getShape().end());
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < offset; ++i)
      if (tb.isDynamicDim(i))
        sizes.push_back(tensor::DimOp::create(b, l, big, i));
    for (int64_t i = 0; i < ts.getRank(); ++i)
      if (ts.isDynamicDim(i))
        sizes.push_back(tensor::DimOp::create(b, l, small, i));
    Value init =
        tensor::EmptyOp::create(b, l, shape, ts.getElementType(), sizes);
    return linalg::BroadcastOp::create(b, l, small, init, added).getResult()[0];
  };
  if (ta.getRank() < tc.getRank())
    a = expand(a, c), ta = cast<RankedTensorType>(a.getType());
  else if (tc.getRank() < ta.getRank())
    c = expand(c, a), tc = cast<RankedTensorType>(c.getType());
  // Same rank: a size-1 dimension stretches to the other side's size.
  auto stretch = [&](Value x, Value other) -> Value {
    auto tx = cast<RankedTensorType>(x.getType());
    auto to = cast<RankedTensorType>(other.getType());
    SmallVector<int64_t> unit;
    for (int64_t i = 0; i < tx.getRank(); ++i)
      if (tx.getDimSize(i) == 1 && to.getDimSize(i) != 1)
        unit.push_back(i);
    if (unit.empty())
      return x;
    SmallVector<int64_t> reducedShape, outShape(tx.getShape());
    SmallVector<OpFoldResult> offsets(tx.getRank(), b.getIndexAttr(0)), sizes,
        strides(tx.getRank(), b.getIndexAttr(1));
    SmallVector<Value> dynamicSizes;
    for (int64_t i = 0; i < tx.getRank(); ++i) {
      bool isUnit = llvm::is_contained(unit, i);
      if (isUnit) {
        sizes.push_back(b.getIndexAttr(1));
        outShape[i] = to.getDimSize(i);
        if (to.isDynamicDim(i))
          dynamicSizes.push_back(tensor::DimOp::create(b, l, other, i));
        continue;
      }
      reducedShape.push_back(tx.getDimSize(i));
      if (tx.isDynamicDim(i)) {
        Value size = tensor::DimOp::create(b, l, x, i);
        sizes.push_back(size);
        dynamicSizes.push_back(size);
      } else {
        sizes.push_back(b.getIndexAttr(tx.getDimSize(i)));
      }
    }
    Value reduced = tensor::ExtractSliceOp::create(
        b, l, RankedTensorType::get(reducedShape, tx.getElementType()), x,
        offsets, sizes, strides);
    Value init = tensor::EmptyOp::create(b, l, outShape, tx.getElementType(),
                                         dynamicSizes);
    return linalg::BroadcastOp::create(b, l, reduced, init, unit)
        .getResult()[0];
  };
  a = stretch(a, c), ta = cast<RankedTensorType>(a.getType());
  c = stretch(c, a), tc = cast<RankedTensorType>(c.getType());
  if (ta != tc) {
    // Same rank, static and dynamic sizes mixed: meet at the dynamic type.
    SmallVector<int64_t> shape;
    for (int64_t i = 0; i < ta.getRank(); ++i)
      shape.push_back(ta.getDimSize(i) == tc.getDimSize(i)
                          ? ta.getDimSize(i)
                          : ShapedType::kDynamic);
    auto meet = RankedTensorType::get(shape, ta.getElementType());
    if (ta != meet)
      a = tensor::CastOp::create(b, l, meet, a);
    auto meetC = RankedTensorType::get(shape, tc.getElementType());
    if (tc != meetC)
      c = tensor::CastOp::create(b, l, meetC, c);
  }
  return {a, c};
}

void MLIRGen::failIf(Value failed, const Twine &message, Location l, Value a,
                     Value c) {
  ms::emitCheck(b, module, l, failed, message.str(), a, c);
}

void MLIRGen::failIfAny(Value mask, const Twine &message, Location l) {
  Value count = reduce(convert(mask, b.getI64Type(), l), /*mean=*/false, l);
  Value none = arith::ConstantIntOp::create(b, l, b.getI64Type(), 0);
  failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, count, none),
         message, l, count);
}

void MLIRGen::checkIntegerDivision(TokenKind op, Value a, Value c, Location l) {
  if (matchPattern(c, m_Zero()))
    unsupported(opRange, "integer division by zero");
  mlir::Type element = getElementTypeOrSelf(c.getType());
  unsigned width = element.getIntOrFloatBitWidth();
  auto constant = [&](int64_t value) -> Value {
    Value v = arith::ConstantOp::create(b, l, element,
                                        b.getIntegerAttr(element, value));
    return isa<ShapedType>(c.getType()) ? splatLike(v, c, l) : v;
  };
  auto eq = [&](Value x, Value y) -> Value {
    return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, x, y);
  };
  Value zero = eq(c, constant(0));
  Value overflow = arith::AndIOp::create(
      b, l,
      eq(a, constant(llvm::APInt::getSignedMinValue(width).getSExtValue())),
      eq(c, constant(-1)));
  const char *symbol = op == TokenKind::Slash ? "/" : "%";
  if (!isa<ShapedType>(c.getType())) {
    failIf(zero, Twine("integer division by zero: {0} ") + symbol + " 0", l, a);
    failIf(overflow, Twine("integer division overflows: {0} ") + symbol + " -1",
           l, a);
    return;
  }
  // Tensors: how many elements would trap.
  failIfAny(zero,
            Twine("integer division by zero: {0} of the divisors of `") +
                symbol + "` are 0",
            l);
  failIfAny(overflow,
            Twine("integer division overflows: {0} elements are the most "
                  "negative value divided by -1 in `") +
                symbol + "`",
            l);
}

void MLIRGen::checkSampledLayers(func::FuncOp fn) {
  // A sample makes one block per fanout. A program that reads fewer (a
  // model of 2 layers given 3 fanouts) computes on the wrong nodes and
  // fails later at a size check far from the cause, or not at all.
  SmallVector<std::pair<ms::SampleOp, int64_t>> checks;
  fn.walk([&](ms::SampleOp sample) {
    int64_t read = 0;
    for (Operation *user : sample.getResult().getUsers()) {
      if (auto field = dyn_cast<ms::FieldOp>(user)) {
        if (field.getField() == "num_layers")
          return; // the program looks at the count itself
        continue; // inputs, seeds
      }
      auto layer = dyn_cast<ms::BlockLayerOp>(user);
      if (!layer)
        return; // the blocks go elsewhere: no telling what is read
      Value index = layer.getLayer();
      if (auto cast = index.getDefiningOp<arith::IndexCastOp>())
        index = cast.getIn();
      APInt constant;
      if (!matchPattern(index, m_ConstantInt(&constant)))
        return; // a computed layer
      read = std::max<int64_t>(read, constant.getSExtValue() + 1);
    }
    if (read > 0)
      checks.push_back({sample, read});
  });
  OpBuilder::InsertionGuard guard(b);
  for (auto [sample, read] : checks) {
    Location l = sample.getLoc();
    b.setInsertionPointAfter(sample);
    Value made =
        ms::FieldOp::create(b, l, b.getIndexType(), sample, "num_layers");
    Value used = arith::ConstantIndexOp::create(b, l, read);
    failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, made, used),
           "`sample` made {0} layer(s) of blocks, one per fanout, but the "
           "program reads {1}: give as many fanouts as the model has layers",
           l, made, used);
  }
}

void MLIRGen::checkIndex(Value index, Value tensor, int64_t dim,
                         SMRange range) {
  Location l = loc(range);
  auto type = cast<RankedTensorType>(tensor.getType());
  APInt known;
  Value source = index;
  if (auto cast = index.getDefiningOp<arith::IndexCastOp>())
    source = cast.getIn();
  if (matchPattern(source, m_ConstantInt(&known)) && !type.isDynamicDim(dim)) {
    int64_t value = known.getSExtValue(), size = type.getDimSize(dim);
    if (value < 0 || value >= size)
      unsupported(range, "index " + Twine(value) + " is outside [0, " +
                             Twine(size) + ") (axis " + Twine(dim) + ")");
    return;
  }
  Value size = tensor::DimOp::create(b, l, tensor, dim);
  // One unsigned comparison covers both ends: a negative index is huge.
  Value outside =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::uge, index, size);
  failIf(outside, "index {0} is outside [0, {1})", l, index, size);
}

Value MLIRGen::checkedBatchSize(Value size, Location l) {
  Value index = toIndex(size, l);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::sle, index, zero),
         "batch size {0} is not positive", l, index);
  return index;
}

Value MLIRGen::binary(TokenKind op, Value a, Value c, Location l) {
  // Literals adopt the other side's element type.
  std::tie(a, c) = broadcastPair(a, c, l);
  bool fp = isa<FloatType>(getElementTypeOrSelf(a.getType()));
  switch (op) {
  case TokenKind::Plus:
    return fp ? (Value)arith::AddFOp::create(b, l, a, c)
              : (Value)arith::AddIOp::create(b, l, a, c);
  case TokenKind::Minus:
    return fp ? (Value)arith::SubFOp::create(b, l, a, c)
              : (Value)arith::SubIOp::create(b, l, a, c);
  case TokenKind::Star:
    return fp ? (Value)arith::MulFOp::create(b, l, a, c)
              : (Value)arith::MulIOp::create(b, l, a, c);
  case TokenKind::Slash:
    if (fp)
      return arith::DivFOp::create(b, l, a, c);
    checkIntegerDivision(op, a, c, l);
    return arith::DivSIOp::create(b, l, a, c);
  case TokenKind::Percent:
    if (!fp)
      checkIntegerDivision(op, a, c, l);
    return arith::RemSIOp::create(b, l, a, c);
  case TokenKind::AndAnd:
    return arith::AndIOp::create(b, l, a, c);
  case TokenKind::OrOr:
    return arith::OrIOp::create(b, l, a, c);
  default:
    break;
  }
  if (fp) {
    arith::CmpFPredicate p =
        op == TokenKind::EqEq      ? arith::CmpFPredicate::OEQ
        : op == TokenKind::NotEq   ? arith::CmpFPredicate::UNE
        : op == TokenKind::Less    ? arith::CmpFPredicate::OLT
        : op == TokenKind::LessEq  ? arith::CmpFPredicate::OLE
        : op == TokenKind::Greater ? arith::CmpFPredicate::OGT
                                   : arith::CmpFPredicate::OGE;
    return arith::CmpFOp::create(b, l, p, a, c);
  }
  arith::CmpIPredicate p = op == TokenKind::EqEq     ? arith::CmpIPredicate::eq
                           : op == TokenKind::NotEq  ? arith::CmpIPredicate::ne
                           : op == TokenKind::Less   ? arith::CmpIPredicate::slt
                           : op == TokenKind::LessEq ? arith::CmpIPredicate::sle
                           : op == TokenKind::Greater
                               ? arith::CmpIPredicate::sgt
                               : arith::CmpIPredicate::sge;
  return arith::CmpIOp::create(b, l, p, a, c);
}

Value MLIRGen::matmul(Value a, Value c, Location l) {
  auto ta = cast<RankedTensorType>(a.getType());
  auto tc = cast<RankedTensorType>(c.getType());
  checkSizes(a, ta.getRank() - 1, c, 0, l); // the inner dimensions
  auto element = ta.getElementType();
  if (ta.getRank() == 2 && tc.getRank() == 2) {
    SmallVector<Value> dims;
    if (ta.isDynamicDim(0))
      dims.push_back(tensor::DimOp::create(b, l, a, 0));
    if (tc.isDynamicDim(1))
      dims.push_back(tensor::DimOp::create(b, l, c, 1));
    auto out =
        RankedTensorType::get({ta.getDimSize(0), tc.getDimSize(1)}, element);
    Value init = fill(0.0, out, dims, l);
    return linalg::MatmulOp::create(b, l, ValueRange{a, c}, ValueRange{init})
        .getResult(0);
  }
  if (ta.getRank() == 2) { // matrix @ vector
    SmallVector<Value> dims;
    if (ta.isDynamicDim(0))
      dims.push_back(tensor::DimOp::create(b, l, a, 0));
    auto out = RankedTensorType::get({ta.getDimSize(0)}, element);
    Value init = fill(0.0, out, dims, l);
    return linalg::MatvecOp::create(b, l, ValueRange{a, c}, ValueRange{init})
        .getResult(0);
  }
  SmallVector<Value> dims; // vector @ matrix
  if (tc.isDynamicDim(1))
    dims.push_back(tensor::DimOp::create(b, l, c, 1));
  auto out = RankedTensorType::get({tc.getDimSize(1)}, element);
  Value init = fill(0.0, out, dims, l);
  return linalg::VecmatOp::create(b, l, ValueRange{a, c}, ValueRange{init})
      .getResult(0);
}

Value MLIRGen::reduce(Value x, bool mean, Location l) {
  auto type = cast<RankedTensorType>(x.getType());
  mlir::Type element = type.getElementType();
  bool fp = isa<FloatType>(element);
  SmallVector<int64_t> all;
  for (int64_t i = 0; i < type.getRank(); ++i)
    all.push_back(i);
  Value zero = fp ? constantFloat(0.0, element, l)
                  : (Value)arith::ConstantOp::create(
                        b, l, element, b.getIntegerAttr(element, 0));
  Value init = tensor::EmptyOp::create(b, l, ArrayRef<int64_t>{}, element);
  init = linalg::FillOp::create(b, l, zero, init).getResult(0);
  auto op = linalg::ReduceOp::create(
      b, l, ValueRange{x}, ValueRange{init}, all,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value s = fp ? (Value)arith::AddFOp::create(nb, nl, args[0], args[1])
                     : (Value)arith::AddIOp::create(nb, nl, args[0], args[1]);
        linalg::YieldOp::create(nb, nl, s);
      });
  Value sum = tensor::ExtractOp::create(b, l, op.getResult(0), ValueRange{});
  if (!mean)
    return sum;
  Value count = arith::ConstantIndexOp::create(b, l, 1);
  for (int64_t i = 0; i < type.getRank(); ++i)
    count =
        arith::MulIOp::create(b, l, count, tensor::DimOp::create(b, l, x, i));
  return arith::DivFOp::create(b, l, sum, castScalar(count, element, l));
}

Value MLIRGen::reduceLastAxis(Value x, bool max, Location l) {
  auto type = cast<RankedTensorType>(x.getType());
  mlir::Type element = type.getElementType();
  int64_t last = type.getRank() - 1;
  SmallVector<int64_t> shape(type.getShape().drop_back());
  SmallVector<Value> dims;
  for (int64_t i = 0; i < last; ++i)
    if (type.isDynamicDim(i))
      dims.push_back(tensor::DimOp::create(b, l, x, i));
  auto out = RankedTensorType::get(shape, element);
  double start = max ? -std::numeric_limits<double>::infinity() : 0.0;
  Value init = fill(start, out, dims, l);
  auto op = linalg::ReduceOp::create(
      b, l, ValueRange{x}, ValueRange{init}, ArrayRef<int64_t>{last},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value v =
            max ? (Value)arith::MaximumFOp::create(nb, nl, args[0], args[1])
                : (Value)arith::AddFOp::create(nb, nl, args[0], args[1]);
        linalg::YieldOp::create(nb, nl, v);
      });
  return op.getResult(0);
}

Value MLIRGen::broadcastLastAxis(Value v, Value like, Location l) {
  auto type = cast<RankedTensorType>(like.getType());
  Value init = emptyLike(like, type.getElementType(), l);
  return linalg::BroadcastOp::create(b, l, v, init,
                                     ArrayRef<int64_t>{type.getRank() - 1})
      .getResult()[0];
}

Value MLIRGen::mapUnary(const std::string &name, Value x, Location l) {
  mlir::Type element = getElementTypeOrSelf(x.getType());
  auto scalarConst = [&](double v) {
    Value c = constantFloat(v, element, l);
    return isa<ShapedType>(x.getType()) ? splatLike(c, x, l) : c;
  };
  if (name == "relu")
    return arith::MaximumFOp::create(b, l, x, scalarConst(0.0));
  if (name == "tanh")
    return math::TanhOp::create(b, l, x);
  if (name == "exp")
    return math::ExpOp::create(b, l, x);
  if (name == "log")
    return math::LogOp::create(b, l, x);
  if (name == "sqrt")
    return math::SqrtOp::create(b, l, x);
  if (name == "abs")
    return isa<FloatType>(element) ? (Value)math::AbsFOp::create(b, l, x)
                                   : (Value)math::AbsIOp::create(b, l, x);
  if (name == "sigmoid") {
    Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, x));
    Value one = scalarConst(1.0);
    return arith::DivFOp::create(b, l, one,
                                 arith::AddFOp::create(b, l, one, e));
  }
  // gelu: the exact form, x * (1 + erf(x / sqrt 2)) / 2, as PyTorch's default.
  Value scaled = arith::MulFOp::create(b, l, x, scalarConst(M_SQRT1_2));
  Value erf = math::ErfOp::create(b, l, scaled);
  Value onePlus = arith::AddFOp::create(b, l, scalarConst(1.0), erf);
  return arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, x, onePlus),
                               scalarConst(0.5));
}

Value MLIRGen::convert(Value x, mlir::Type element, Location l) {
  auto shaped = dyn_cast<RankedTensorType>(x.getType());
  if (!shaped)
    return castScalar(x, element, l);
  if (shaped.getElementType() == element)
    return x;
  auto result = shaped.clone(element);
  mlir::Type from = shaped.getElementType();
  if (isa<FloatType>(from) && isa<FloatType>(element))
    return from.getIntOrFloatBitWidth() < element.getIntOrFloatBitWidth()
               ? (Value)arith::ExtFOp::create(b, l, result, x)
               : (Value)arith::TruncFOp::create(b, l, result, x);
  if (isa<IntegerType>(from) && isa<FloatType>(element))
    return from.isInteger(1) ? (Value)arith::UIToFPOp::create(b, l, result, x)
                             : (Value)arith::SIToFPOp::create(b, l, result, x);
  if (isa<FloatType>(from))
    return arith::FPToSIOp::create(b, l, result, x);
  if (from.getIntOrFloatBitWidth() < element.getIntOrFloatBitWidth())
    return from.isInteger(1) ? (Value)arith::ExtUIOp::create(b, l, result, x)
                             : (Value)arith::ExtSIOp::create(b, l, result, x);
  return arith::TruncIOp::create(b, l, result, x);
}

Value MLIRGen::dimValue(const Dim &d, SMRange range) {
  Location l = loc(range);
  if (d.kind == Dim::Static)
    return arith::ConstantIndexOp::create(b, l, d.value);
  if (d.kind == Dim::Symbol) {
    // Evaluate the path (`G.features.cols`, `in`, `batch`).
    StringRef path(d.symbol);
    auto [root, rest] = path.split('.');
    GenValue *v = find(root.str());
    if (v && v->kind == GenValue::SSA) {
      Value cur = v->value;
      while (!rest.empty()) {
        auto [field, tail] = rest.split('.');
        mlir::Type resultType;
        if (field == "features")
          resultType = ms::TableType::get(
              context, {ShapedType::kDynamic, ShapedType::kDynamic},
              b.getF32Type(), ms::Placement::Auto);
        else
          resultType = b.getIndexType();
        cur = ms::FieldOp::create(b, l, resultType, cur, field);
        rest = tail;
      }
      return toIndex(cur, l);
    }
  }
  unsupported(range, "code generation needs the size `" + d.str() +
                         "` here; give it as a number or a name in scope");
}

lang::Type MLIRGen::namedWhereOpen(const lang::Type &declared,
                                   const TypeExpr &written) {
  lang::Type named = declared;
  if (named.kind != lang::Type::Tensor || named.unranked ||
      written.kind != TypeExpr::Tensor ||
      written.dims.size() != named.dims.size())
    return named;
  for (size_t i = 0; i < named.dims.size(); ++i)
    if (named.dims[i].kind == Dim::Dynamic &&
        written.dims[i].kind == DimExpr::Symbol)
      named.dims[i] = Dim::named(written.dims[i].symbol);
  return named;
}

SmallVector<Value> MLIRGen::dynamicDimsFor(const lang::Type &t,
                                           RankedTensorType ty, SMRange range) {
  SmallVector<Value> dims;
  Location l = loc(range);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  for (size_t i = 0; i < t.dims.size(); ++i)
    if (ty.isDynamicDim(i)) {
      Value size = dimValue(t.dims[i], range);
      // A size from a flag or a computation: negative is an error, not an
      // empty tensor or an allocation of a wrapped size.
      failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, size, zero),
             "size `" + t.dims[i].str() + "` of a `" + t.str() +
                 "` is {0}, which is negative",
             l, size);
      dims.push_back(size);
    }
  if (dims.empty())
    return dims;
  // Sizes that are each fine may still multiply past what 64-bit byte
  // counts hold, and an allocation of the wrapped size would be too small.
  Value bytes = arith::ConstantOp::create(
      b, l, b.getF64FloatAttr(double(ty.getElementTypeBitWidth() / 8)));
  for (int64_t i = 0, k = 0; i < ty.getRank(); ++i) {
    Value size =
        ty.isDynamicDim(i)
            ? arith::UIToFPOp::create(
                  b, l, b.getF64Type(),
                  arith::IndexCastOp::create(b, l, b.getI64Type(), dims[k++]))
                  .getResult()
            : arith::ConstantOp::create(
                  b, l, b.getF64FloatAttr(double(ty.getDimSize(i))))
                  .getResult();
    bytes = arith::MulFOp::create(b, l, bytes, size);
  }
  Value limit = arith::ConstantOp::create(b, l, b.getF64FloatAttr(0x1p62));
  failIf(arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, bytes, limit),
         "a `" + t.str() +
             "` is too large: its size in bytes does not fit in 64 bits",
         l);
  return dims;
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

template <typename BodyFn>
void MLIRGen::carriedFor(Location l, Value lo, Value hi, BodyFn body) {
  std::vector<Cell *> carried = live;
  SmallVector<Value> inits;
  for (Cell *c : carried)
    inits.push_back(c->value);
  Value one = arith::ConstantIndexOp::create(b, l, 1);
  auto loop =
      scf::ForOp::create(b, l, toIndex(lo, l), toIndex(hi, l), one, inits);
  OpBuilder::InsertionGuard guard(b);
  // Without loop-carried values the builder adds the terminator itself.
  Block *loopBody = loop.getBody();
  if (!loopBody->empty() && loopBody->back().hasTrait<OpTrait::IsTerminator>())
    loopBody->back().erase();
  b.setInsertionPointToStart(loopBody);
  for (size_t i = 0; i < carried.size(); ++i)
    carried[i]->value = loop.getRegionIterArg(i);
  size_t liveDepth = live.size();
  loopIvs.push_back(loop.getInductionVar());
  body(loop.getInductionVar());
  loopIvs.pop_back();
  live.resize(liveDepth);
  SmallVector<Value> yields;
  for (Cell *c : carried)
    yields.push_back(c->value);
  scf::YieldOp::create(b, l, yields);
  b.setInsertionPointAfter(loop);
  for (size_t i = 0; i < carried.size(); ++i)
    carried[i]->value = loop.getResult(i);
}

void MLIRGen::genBlock(const std::vector<StmtPtr> &body) {
  scopes.emplace_back();
  size_t liveDepth = live.size();
  for (const StmtPtr &s : body)
    genStmt(*s);
  live.resize(liveDepth);
  scopes.pop_back();
}

void MLIRGen::genStmt(const Stmt &s) {
  Location l = loc(s.range);
  switch (s.kind) {
  case StmtKind::Let: {
    lang::Type declared;
    const lang::Type *expected = nullptr;
    if (s.type) {
      // Sema resolved the annotation when it checked the value; reuse it.
      auto it = program.declared.find(&s);
      if (it != program.declared.end()) {
        declared = namedWhereOpen(it->second, *s.type);
        expected = &declared;
      }
    }
    GenValue v = gen(*s.value, expected);
    // An annotation may be more static than the value (`let v: f32[3] =
    // [...]`, a list being tensor<?xf32>).
    if (expected && expected->kind == lang::Type::Tensor &&
        v.kind == GenValue::SSA && !expected->unranked) {
      mlir::Type want = irType(*expected, s.range);
      if (v.value.getType() != want &&
          tensor::CastOp::areCastCompatible(v.value.getType(), want))
        v.value =
            castChecked(v.value, cast<RankedTensorType>(want),
                        "`" + s.name + ": " + expected->str() + "`", s.range);
    }
    if (expected && v.kind == GenValue::SSA)
      checkDeclaredSizes(*expected, v.value, s);
    // `place F in ...` where `let F = G.features`: the table F names.
    auto placed = placements.find(s.name);
    if (placed != placements.end() && v.kind == GenValue::SSA)
      if (auto table = dyn_cast<ms::TableType>(v.value.getType()))
        v.value.setType(table.withPlacement(placed->second));
    bind(s.name, v);
    return;
  }
  case StmtKind::Var: {
    auto annotation = program.declared.find(&s);
    lang::Type declared;
    const lang::Type *expected = nullptr;
    if (annotation != program.declared.end()) {
      declared = s.type ? namedWhereOpen(annotation->second, *s.type)
                        : annotation->second;
      expected = &declared;
    }
    GenValue v = gen(*s.value, expected);
    if (expected && expected->kind == lang::Type::Tensor &&
        v.kind == GenValue::SSA && !expected->unranked) {
      mlir::Type want = irType(*expected, s.range);
      if (v.value.getType() != want &&
          tensor::CastOp::areCastCompatible(v.value.getType(), want))
        v.value =
            castChecked(v.value, cast<RankedTensorType>(want),
                        "`" + s.name + ": " + expected->str() + "`", s.range);
    }
    if (expected && v.kind == GenValue::SSA)
      checkDeclaredSizes(*expected, v.value, s);
    if (v.kind != GenValue::SSA)
      unsupported(s.range, "a `var` holds a number or tensor");
    GenValue ref;
    ref.kind = GenValue::CellRef;
    ref.cell = newCell(v.value);
    bind(s.name, ref);
    return;
  }
  case StmtKind::Assign: {
    Value v = genValue(*s.value);
    GenValue *target = find(s.target->text);
    if (!target || target->kind != GenValue::CellRef)
      unsupported(s.range, "cannot assign here");
    mlir::Type want = target->cell->value.getType();
    if (v.getType() != want) {
      if (isa<RankedTensorType>(want) && isa<RankedTensorType>(v.getType()))
        v = castChecked(v, cast<RankedTensorType>(want),
                        "`" + s.target->text + " = ...`", s.range);
      else if (isa<RankedTensorType>(want))
        v = splatLike(v, target->cell->value, l);
      else
        v = castScalar(v, want, l);
    }
    target->cell->value = v;
    return;
  }
  case StmtKind::Expr:
    gen(*s.value);
    return;
  case StmtKind::Return:
    return; // inlineFn evaluates the returned value
  case StmtKind::For:
    genFor(s);
    return;
  case StmtKind::If:
    genIf(s);
    return;
  case StmtKind::Log: {
    Value v = genValue(*s.value);
    std::string label = s.name;
    if (label.empty()) {
      llvm::StringRef text(s.value->range.Start.getPointer(),
                           s.value->range.End.getPointer() -
                               s.value->range.Start.getPointer());
      label = text.str();
    }
    ms::LogOp::create(b, l, TypeRange{}, ValueRange{v},
                      {b.getNamedAttr("label", b.getStringAttr(label))});
    return;
  }
  }
}

void MLIRGen::genLoopBody(const Stmt &s, Value element) {
  scopes.emplace_back();
  bind(s.name, GenValue::ssa(element));
  genBlock(s.body);
  scopes.pop_back();
}

void MLIRGen::genFor(const Stmt &s) {
  Location l = loc(s.range);
  GenValue iterable = gen(*s.value);
  if (s.selectHardest)
    return genSelectHardest(s, iterable);
  if (iterable.kind == GenValue::RangeV) {
    carriedFor(l, iterable.value, iterable.aux,
               [&](Value iv) { genLoopBody(s, toI64(iv, l)); });
    return;
  }
  if (iterable.kind == GenValue::Batches) {
    Value indices = iterable.value;
    if (iterable.shuffle) {
      // A new order every time the loop starts: mix in the enclosing loop
      // counters (the epoch).
      Value seed = iterable.aux2;
      for (Value iv : loopIvs) {
        Value mixed = arith::MulIOp::create(
            b, l, toI64(iv, l),
            arith::ConstantIntOp::create(b, l, b.getI64Type(),
                                         int64_t(0x9E3779B97F4A7C15ull)));
        seed = arith::XOrIOp::create(b, l, seed, mixed);
      }
      indices = ms::ShuffleOp::create(b, l, indices.getType(),
                                      ValueRange{indices, seed},
                                      ArrayRef<NamedAttribute>{});
    }
    Value zero = arith::ConstantIndexOp::create(b, l, 0);
    Value n = tensor::DimOp::create(b, l, indices, 0);
    Value size = checkedBatchSize(iterable.aux, loc(s.value->range));
    Value count = arith::CeilDivSIOp::create(b, l, n, size);
    carriedFor(l, zero, count, [&](Value i) {
      genLoopBody(s, batchSlice(indices, i, size, n, l));
    });
    return;
  }
  if (iterable.kind == GenValue::SSA &&
      isa<RankedTensorType>(iterable.value.getType())) {
    Value list = iterable.value;
    Value zero = arith::ConstantIndexOp::create(b, l, 0);
    Value n = tensor::DimOp::create(b, l, list, 0);
    carriedFor(l, zero, n, [&](Value i) {
      genLoopBody(s, tensor::ExtractOp::create(b, l, list, ValueRange{i}));
    });
    return;
  }
  unsupported(s.value->range, "cannot generate this loop");
}

void MLIRGen::genSelectHardest(const Stmt &s, const GenValue &batches) {
  // TECHNIQUES.md section 2: N fixed batches; a first full pass records every
  // batch's loss; each later pass trains the floor(delta * N) batches with
  // the largest recorded loss (sluice.select_hardest, ascending batch order),
  // until E * N steps are spent. The last pass stops when the budget does.
  Location l = loc(s.selectRange);
  auto arg = [&](size_t position, StringRef name) -> const Expr * {
    for (const Arg &a : s.selectArgs)
      if (a.name == name)
        return a.value.get();
    size_t seen = 0;
    for (const Arg &a : s.selectArgs)
      if (a.name.empty() && seen++ == position)
        return a.value.get();
    return nullptr;
  };
  Value delta = castScalar(genValue(*arg(0, "delta")), b.getF64Type(), l);
  Value epochs = toIndex(genValue(*arg(1, "epochs")), l);
  Value indices = batches.value;
  Value size = checkedBatchSize(batches.aux, l);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  Value one = arith::ConstantIndexOp::create(b, l, 1);
  Value n = tensor::DimOp::create(b, l, indices, 0);
  Value count = arith::CeilDivSIOp::create(b, l, n, size);
  auto lossesType =
      RankedTensorType::get({ShapedType::kDynamic}, b.getF32Type());
  Cell *losses = newCell(fill(0.0, lossesType, ValueRange{count}, l));
  // A delta outside (0, 1], or one that selects no batch, stops the program
  // before it trains (sluice.select_hardest would, but only after the first
  // pass).
  {
    Value n64 = toI64(count, l);
    Value selected = arith::FPToSIOp::create(
        b, l, b.getI64Type(),
        arith::MulFOp::create(b, l, delta, castScalar(n64, b.getF64Type(), l)));
    Value bad = arith::OrIOp::create(
        b, l,
        arith::OrIOp::create(
            b, l,
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::ULE, delta,
                                  constantFloat(0.0, b.getF64Type(), l)),
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::UGT, delta,
                                  constantFloat(1.0, b.getF64Type(), l))),
        arith::CmpIOp::create(
            b, l, arith::CmpIPredicate::slt, selected,
            arith::ConstantIntOp::create(b, l, b.getI64Type(), 1)));
    func::FuncOp errorFn = ms::declareRuntimeFunction(
        b, module, "sluice_rt_select_error",
        b.getFunctionType({b.getIndexType(), b.getF64Type(), b.getI64Type()},
                          {}));
    scf::IfOp::create(b, l, bad, [&](OpBuilder &ib, Location il) {
      Value where = ms::stringAddress(ib, module, il, ms::describeLocation(l));
      func::CallOp::create(ib, il, errorFn, ValueRange{where, delta, n64});
      scf::YieldOp::create(ib, il);
    });
  }

  // One step: train batch `i` and record its loss.
  auto trainBatch = [&](Value i) {
    Value batch = batchSlice(indices, i, size, n, l);
    scopes.emplace_back();
    bind(s.name, GenValue::ssa(batch));
    size_t liveDepth = live.size();
    for (const StmtPtr &stmt : s.body)
      genStmt(*stmt);
    GenValue *loss = find(s.byName);
    Value lossValue =
        loss->kind == GenValue::CellRef ? loss->cell->value : loss->value;
    lossValue = castScalar(lossValue, b.getF32Type(), l);
    losses->value = ms::RecordLossOp::create(
        b, l, lossesType, ValueRange{lossValue, losses->value, i},
        ArrayRef<NamedAttribute>{});
    live.resize(liveDepth);
    scopes.pop_back();
  };
  carriedFor(l, zero, count, trainBatch);

  // The revisiting passes: K = max(floor(delta * N), 1) batches each.
  Value total = arith::MulIOp::create(b, l, epochs, count);
  Value remaining = arith::MaxSIOp::create(
      b, l, arith::SubIOp::create(b, l, total, count), zero);
  Value scaled = arith::MulFOp::create(
      b, l, delta, castScalar(toI64(count, l), b.getF64Type(), l));
  Value k = arith::MaxSIOp::create(
      b, l, toIndex(arith::FPToSIOp::create(b, l, b.getI64Type(), scaled), l),
      one);
  Value passes = arith::CeilDivSIOp::create(b, l, remaining, k);
  carriedFor(l, zero, passes, [&](Value pass) {
    auto selectedType =
        RankedTensorType::get({ShapedType::kDynamic}, b.getIndexType());
    Value selected = ms::SelectHardestOp::create(
        b, l, selectedType, ValueRange{losses->value, delta},
        ArrayRef<NamedAttribute>{});
    Value spent = arith::MulIOp::create(b, l, pass, k);
    Value steps = arith::MinSIOp::create(
        b, l, k, arith::SubIOp::create(b, l, remaining, spent));
    carriedFor(l, zero, steps, [&](Value j) {
      trainBatch(tensor::ExtractOp::create(b, l, selected, ValueRange{j}));
    });
  });
}

Value MLIRGen::batchSlice(Value indices, Value i, Value size, Value n,
                          Location l) {
  Value start = arith::MulIOp::create(b, l, i, size);
  Value left = arith::SubIOp::create(b, l, n, start);
  Value len = arith::MinSIOp::create(b, l, size, left);
  auto sliceType =
      RankedTensorType::get({ShapedType::kDynamic}, b.getI64Type());
  return tensor::ExtractSliceOp::create(
      b, l, sliceType, indices, ValueRange{start}, ValueRange{len},
      ValueRange{}, b.getDenseI64ArrayAttr({ShapedType::kDynamic}),
      b.getDenseI64ArrayAttr({ShapedType::kDynamic}),
      b.getDenseI64ArrayAttr({1}));
}

void MLIRGen::genIf(const Stmt &s) {
  Location l = loc(s.range);
  Value cond = genValue(*s.value);
  std::vector<Cell *> carried = live;
  SmallVector<mlir::Type> types;
  SmallVector<Value> before;
  for (Cell *c : carried) {
    types.push_back(c->value.getType());
    before.push_back(c->value);
  }
  auto ifOp = scf::IfOp::create(b, l, types, cond, /*withElse=*/true);
  auto branch = [&](Region &region, const std::vector<StmtPtr> &body) {
    OpBuilder::InsertionGuard guard(b);
    Block &block = region.front();
    if (!block.empty() && block.back().hasTrait<OpTrait::IsTerminator>())
      block.back().erase();
    b.setInsertionPointToStart(&block);
    for (size_t i = 0; i < carried.size(); ++i)
      carried[i]->value = before[i];
    genBlock(body);
    SmallVector<Value> yields;
    for (Cell *c : carried)
      yields.push_back(c->value);
    scf::YieldOp::create(b, l, yields);
  };
  branch(ifOp.getThenRegion(), s.body);
  branch(ifOp.getElseRegion(), s.elseBody);
  for (size_t i = 0; i < carried.size(); ++i)
    carried[i]->value = ifOp.getResult(i);
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

Value MLIRGen::genValue(const Expr &e, const lang::Type *expected) {
  GenValue v = gen(e, expected);
  if (v.kind == GenValue::CellRef)
    return v.cell->value;
  if (v.kind != GenValue::SSA)
    unsupported(e.range, "expected a value here");
  return v.value;
}

std::vector<const Expr *>
MLIRGen::bindArgs(const std::vector<ParamDecl> &params, const Expr &call,
                  size_t skip) {
  std::vector<const Expr *> bound(params.size(), nullptr);
  size_t position = 0;
  for (size_t i = skip; i < call.args.size(); ++i) {
    const Arg &a = call.args[i];
    if (a.name.empty()) {
      bound[position++] = a.value.get();
      continue;
    }
    for (size_t j = 0; j < params.size(); ++j)
      if (params[j].name == a.name)
        bound[j] = a.value.get();
  }
  for (size_t j = 0; j < params.size(); ++j)
    if (!bound[j])
      bound[j] = params[j].defaultValue.get();
  return bound;
}

GenValue MLIRGen::inlineFn(const FnDecl &fn, const Expr &call,
                           std::shared_ptr<ModelInst> self) {
  std::vector<const Expr *> args = bindArgs(fn.params, call);
  std::vector<GenValue> values;
  for (size_t j = 0; j < args.size(); ++j) {
    // Defaults are evaluated in the callee's module, arguments here.
    bool isDefault = args[j] == fn.params[j].defaultValue.get();
    const Module *saved = currentModule;
    if (isDefault)
      currentModule = fn.module;
    values.push_back(gen(*args[j]));
    currentModule = saved;
  }
  return expandFn(fn, values, call, std::move(self));
}

GenValue MLIRGen::expandFn(const FnDecl &fn,
                           const std::vector<GenValue> &values,
                           const Expr &call, std::shared_ptr<ModelInst> self) {
  // Every call expands its function's body again, so calls that each make
  // two more, N deep, expand 2^N times: stop before that takes the
  // machine's memory.
  if (++inlinedCalls > kMaxInlinedCalls)
    unsupported(call.range,
                "more than " + Twine(kMaxInlinedCalls) +
                    " function calls to expand: functions are expanded at "
                    "each call, and these calls multiply (a function that "
                    "calls another twice, N levels deep, expands 2^N "
                    "times); compute shared results once and pass them on");
  auto savedScopes = std::move(scopes);
  const Module *savedModule = currentModule;
  scopes.clear();
  currentModule = fn.module;
  callSites.push_back(loc(call.range));
  scopes.emplace_back();
  if (self) {
    for (auto &[name, v] : self->scope)
      bind(name, v);
    GenValue s;
    s.kind = GenValue::Model;
    s.model = self;
    bind("self", s);
  }
  for (size_t j = 0; j < values.size(); ++j)
    bind(fn.params[j].name, values[j]);
  // Dimension names of the signature are the sizes of the arguments that
  // carry them (`T` of `tokens: int[T]` is dim(tokens, 0)).
  for (size_t j = 0; j < values.size(); ++j) {
    const TypeExpr *type = fn.params[j].type.get();
    if (!type || type->kind != TypeExpr::Tensor ||
        values[j].kind != GenValue::SSA ||
        !isa<RankedTensorType>(values[j].value.getType()))
      continue;
    for (size_t d = 0; d < type->dims.size(); ++d) {
      const DimExpr &dim = type->dims[d];
      if (dim.kind != DimExpr::Symbol ||
          dim.symbol.find('.') != std::string::npos ||
          scopes.back().count(dim.symbol))
        continue;
      Location l = loc(dim.range);
      scopes.back()[dim.symbol] = GenValue::ssa(
          toI64(tensor::DimOp::create(b, l, values[j].value, d), l));
    }
  }
  GenValue result;
  scopes.emplace_back();
  size_t liveDepth = live.size();
  for (const StmtPtr &s : fn.body) {
    if (s->kind == StmtKind::Return) {
      if (s->value)
        result = gen(*s->value);
      break;
    }
    genStmt(*s);
  }
  live.resize(liveDepth);
  callSites.pop_back();
  scopes = std::move(savedScopes);
  currentModule = savedModule;
  return result;
}

std::shared_ptr<ModelInst> MLIRGen::instantiate(const ModelDecl &model,
                                                const Expr &call) {
  auto inst = std::make_shared<ModelInst>();
  inst->decl = &model;
  std::vector<const Expr *> args = bindArgs(model.ctorParams, call);
  for (size_t j = 0; j < args.size(); ++j)
    inst->scope[model.ctorParams[j].name] = gen(*args[j]);
  auto savedScopes = std::move(scopes);
  const Module *savedModule = currentModule;
  scopes.clear();
  callSites.push_back(loc(call.range));
  currentModule = model.module;
  scopes.emplace_back(inst->scope);
  // Constant int constructor arguments make static dimensions.
  DimMap constants;
  for (const ParamDecl &p : model.ctorParams) {
    const GenValue &v = inst->scope[p.name];
    if (v.kind == GenValue::SSA)
      if (std::optional<int64_t> c = getConstantIntValue(v.value))
        constants[p.name] = Dim::of(*c);
  }
  for (const MemberDecl &m : model.members) {
    if (m.type) {
      auto it = program.types.find(m.init.get());
      lang::Type declared = it != program.types.end()
                                ? substitute(it->second, constants)
                                : lang::Type::error();
      Value init = genValue(*m.init, &declared);
      Cell *cell = newCell(init);
      inst->params.push_back(cell);
      GenValue ref;
      ref.kind = GenValue::CellRef;
      ref.cell = cell;
      inst->scope[m.name] = ref;
    } else {
      GenValue v = gen(*m.init);
      if (v.kind == GenValue::Model)
        for (Cell *c : v.model->params)
          inst->params.push_back(c);
      inst->scope[m.name] = v;
    }
    scopes.back()[m.name] = inst->scope[m.name];
  }
  callSites.pop_back();
  scopes = std::move(savedScopes);
  currentModule = savedModule;
  return inst;
}

std::shared_ptr<OptInst> MLIRGen::makeOptimizer(const OptimizerDecl &opt,
                                                const Expr &call) {
  auto inst = std::make_shared<OptInst>();
  inst->decl = &opt;
  GenValue model = gen(*call.args[0].value);
  inst->model = model.model;
  std::vector<const Expr *> args = bindArgs(opt.ctorParams, call, 1);
  for (size_t j = 0; j < args.size(); ++j) {
    const Module *saved = currentModule;
    if (args[j] == opt.ctorParams[j].defaultValue.get())
      currentModule = opt.module;
    inst->args[opt.ctorParams[j].name] = gen(*args[j]);
    currentModule = saved;
  }
  Location l = loc(call.range);
  for (Cell *param : inst->model->params) {
    std::map<std::string, Cell *> states;
    for (const MemberDecl &s : opt.states) {
      const Module *saved = currentModule;
      currentModule = opt.module;
      scopes.emplace_back(inst->args);
      Value init = genValue(*s.init);
      scopes.pop_back();
      currentModule = saved;
      init = castScalar(init, getElementTypeOrSelf(param->value.getType()), l);
      states[s.name] = newCell(splatLike(init, param->value, l));
    }
    inst->states.push_back(states);
  }
  inst->step = newCell(arith::ConstantIntOp::create(b, l, b.getI64Type(), 0));
  return inst;
}

void MLIRGen::step(OptInst &opt, Value loss, Location l) {
  std::vector<Cell *> &params = opt.model->params;
  SmallVector<Value> wrt;
  SmallVector<mlir::Type> types;
  for (Cell *c : params) {
    wrt.push_back(c->value);
    types.push_back(c->value.getType());
  }
  SmallVector<Value> operands = {loss};
  operands.append(wrt);
  auto grad =
      ms::GradOp::create(b, l, types, operands, ArrayRef<NamedAttribute>{});
  Value one = arith::ConstantIntOp::create(b, l, b.getI64Type(), 1);
  opt.step->value = arith::AddIOp::create(b, l, opt.step->value, one);
  const FnDecl &update = *opt.decl->update;
  for (size_t i = 0; i < params.size(); ++i) {
    auto savedScopes = std::move(scopes);
    const Module *savedModule = currentModule;
    scopes.clear();
    currentModule = opt.decl->module;
    scopes.emplace_back(opt.args);
    GenValue w;
    w.kind = GenValue::CellRef;
    w.cell = params[i];
    scopes.back()[update.params[0].name] = w;
    scopes.back()[update.params[1].name] = GenValue::ssa(grad.getResult(i));
    scopes.back()[update.params[2].name] = GenValue::ssa(opt.step->value);
    for (auto &[name, cell] : opt.states[i]) {
      GenValue ref;
      ref.kind = GenValue::CellRef;
      ref.cell = cell;
      scopes.back()[name] = ref;
    }
    genBlock(update.body);
    scopes = std::move(savedScopes);
    currentModule = savedModule;
  }
}

GenValue MLIRGen::gen(const Expr &e, const lang::Type *expected) {
  Location l = loc(e.range);
  auto typeOf = [&](const Expr &x) {
    auto it = program.types.find(&x);
    return it == program.types.end() ? lang::Type::error() : it->second;
  };
  switch (e.kind) {
  case ExprKind::Int:
    return GenValue::ssa(
        arith::ConstantIntOp::create(b, l, b.getI64Type(), e.intValue));
  case ExprKind::Float:
    return GenValue::ssa(constantFloat(e.floatValue, b.getF32Type(), l));
  case ExprKind::Bool:
    return GenValue::ssa(
        arith::ConstantIntOp::create(b, l, b.getI1Type(), e.boolValue ? 1 : 0));
  case ExprKind::String:
    return GenValue::ssa(ms::StringOp::create(
        b, l, ms::StrType::get(context), ValueRange{},
        {b.getNamedAttr("value", b.getStringAttr(e.text))}));
  case ExprKind::Self: {
    GenValue *self = find("self");
    return self ? *self : GenValue();
  }
  case ExprKind::Name: {
    GenValue *v = find(e.text);
    if (!v)
      unsupported(e.range, "`" + e.text + "` has no value here");
    if (v->kind == GenValue::CellRef)
      return GenValue::ssa(v->cell->value);
    return *v;
  }
  case ExprKind::Member: {
    GenValue base = gen(*e.operands[0]);
    if (base.kind == GenValue::ModuleNs) {
      auto &g = globals[base.module];
      auto it = g.find(e.text);
      if (it == g.end())
        unsupported(e.range, "`" + e.text + "` has no value here");
      return it->second;
    }
    if (base.kind == GenValue::Model) {
      if (const FnDecl *method = base.model->decl->method(e.text)) {
        GenValue f;
        f.kind = GenValue::Function;
        f.fn = method;
        f.model = base.model;
        return f;
      }
      GenValue v = base.model->scope[e.text];
      if (v.kind == GenValue::CellRef)
        return GenValue::ssa(v.cell->value);
      return v;
    }
    if (base.kind == GenValue::Cache) {
      // A merged KV cache (`merge_layers`): its size as stored, or the
      // cache it restores.
      if (e.text == "bytes")
        return GenValue::ssa(base.aux);
      return GenValue::ssa(base.value);
    }
    if (base.kind == GenValue::Optimizer) {
      GenValue f;
      f.kind = GenValue::Builtin;
      f.builtin = "Optimizer.step";
      f.opt = base.opt;
      return f;
    }
    if (base.kind != GenValue::SSA)
      unsupported(e.range, "cannot generate this member access");
    mlir::Type t = base.value.getType();
    if (isa<ms::BlocksType>(t) && e.text == "layer") {
      GenValue f;
      f.kind = GenValue::Builtin;
      f.builtin = "Blocks.layer";
      f.value = base.value;
      return f;
    }
    if (auto tensorType = dyn_cast<RankedTensorType>(t)) {
      // `.bytes`
      // Elements take whole bytes (an i1 is stored in one).
      Value count = arith::ConstantIndexOp::create(
          b, l,
          std::max<int64_t>(1, (tensorType.getElementTypeBitWidth() + 7) / 8));
      for (int64_t i = 0; i < tensorType.getRank(); ++i)
        count = arith::MulIOp::create(
            b, l, count, tensor::DimOp::create(b, l, base.value, i));
      return GenValue::ssa(toI64(count, l));
    }
    lang::Type type = typeOf(e);
    mlir::Type resultType =
        type.isInt() ? (mlir::Type)b.getIndexType() : irType(type, e.range);
    if (auto table = dyn_cast<ms::TableType>(resultType))
      if (auto path = pathText(e)) {
        // `place G.features in ...` in the pipeline's schedule.
        auto it = placements.find(*path);
        if (it != placements.end())
          resultType = table.withPlacement(it->second);
      }
    Value v = ms::FieldOp::create(b, l, resultType, base.value, e.text);
    return GenValue::ssa(type.isInt() ? toI64(v, l) : v);
  }
  case ExprKind::Call:
    return genCall(e, expected);
  case ExprKind::Index: {
    Value base = genValue(*e.operands[0]);
    if (e.operands.size() == 2) {
      Value index = genValue(*e.operands[1]);
      if (isa<RankedTensorType>(index.getType())) {
        lang::Type type = typeOf(e);
        auto result = cast<RankedTensorType>(irType(type, e.range));
        if (auto tensor = dyn_cast<RankedTensorType>(base.getType())) {
          // Rows of a tensor in the result's element type; bools travel as
          // bytes, since gathers copy whole bytes.
          mlir::Type element = result.getElementType();
          bool bits = element.isInteger(1);
          mlir::Type carried = bits ? b.getI8Type() : element;
          if (tensor.getElementType() != carried)
            base = convert(base, carried, l); // a bool becomes 0 or 1
          Value rows = ms::GatherOp::create(b, l, result.clone(carried),
                                            ValueRange{base, index},
                                            ArrayRef<NamedAttribute>{});
          if (bits)
            rows = arith::TruncIOp::create(b, l, result, rows);
          return GenValue::ssa(rows);
        }
        return GenValue::ssa(ms::GatherOp::create(
            b, l, result, ValueRange{base, index}, ArrayRef<NamedAttribute>{}));
      }
    }
    SmallVector<Value> indices;
    auto type = cast<RankedTensorType>(base.getType());
    for (size_t i = 1; i < e.operands.size(); ++i) {
      Value index = toIndex(genValue(*e.operands[i]), l);
      checkIndex(index, base, i - 1, e.operands[i]->range);
      indices.push_back(index);
    }
    if (indices.size() == size_t(type.getRank()))
      return GenValue::ssa(tensor::ExtractOp::create(b, l, base, indices));
    // `x[i]` of a matrix: the row, a rank-reducing slice.
    SmallVector<OpFoldResult> offsets, sizes,
        strides(type.getRank(), b.getIndexAttr(1));
    SmallVector<int64_t> rest;
    for (int64_t i = 0; i < type.getRank(); ++i) {
      if (size_t(i) < indices.size()) {
        offsets.push_back(indices[i]);
        sizes.push_back(b.getIndexAttr(1));
        continue;
      }
      offsets.push_back(b.getIndexAttr(0));
      rest.push_back(type.getDimSize(i));
      sizes.push_back(type.isDynamicDim(i)
                          ? OpFoldResult(tensor::DimOp::create(b, l, base, i))
                          : OpFoldResult(b.getIndexAttr(type.getDimSize(i))));
    }
    return GenValue::ssa(tensor::ExtractSliceOp::create(
        b, l, RankedTensorType::get(rest, type.getElementType()), base, offsets,
        sizes, strides));
  }
  case ExprKind::Unary: {
    Value v = genValue(*e.operands[0]);
    if (e.op == TokenKind::Bang) {
      Value t = arith::ConstantIntOp::create(b, l, b.getI1Type(), 1);
      if (isa<ShapedType>(v.getType()))
        t = splatLike(t, v, l);
      return GenValue::ssa(arith::XOrIOp::create(b, l, v, t));
    }
    if (isa<FloatType>(getElementTypeOrSelf(v.getType())))
      return GenValue::ssa(arith::NegFOp::create(b, l, v));
    Value zero = arith::ConstantOp::create(
        b, l, getElementTypeOrSelf(v.getType()),
        b.getIntegerAttr(getElementTypeOrSelf(v.getType()), 0));
    if (isa<ShapedType>(v.getType()))
      zero = splatLike(zero, v, l);
    return GenValue::ssa(arith::SubIOp::create(b, l, zero, v));
  }
  case ExprKind::Binary: {
    Value a = genValue(*e.operands[0]);
    Value c = genValue(*e.operands[1]);
    opRange = e.range;
    opName = spelling(e.op).str();
    // The element type sema chose: a number literal on either side takes
    // the other side's type (`1 - beta` is f32 when beta is).
    bool comparison = e.op == TokenKind::EqEq || e.op == TokenKind::NotEq ||
                      e.op == TokenKind::Less || e.op == TokenKind::LessEq ||
                      e.op == TokenKind::Greater ||
                      e.op == TokenKind::GreaterEq;
    lang::Type lt = typeOf(*e.operands[0]), rt = typeOf(*e.operands[1]);
    lang::Type result = typeOf(e);
    std::optional<lang::Scalar> element;
    if (!comparison && (result.kind == lang::Type::Scalar ||
                        result.kind == lang::Type::Tensor))
      element = result.scalar;
    else if (comparison && lt.kind == lang::Type::Scalar &&
             rt.kind == lang::Type::Scalar)
      element = e.operands[0]->kind == ExprKind::Int ||
                        e.operands[0]->kind == ExprKind::Float
                    ? rt.scalar
                    : lt.scalar;
    if (element) {
      mlir::Type want = scalarType(*element);
      if (!isa<ShapedType>(a.getType()) && a.getType() != want)
        a = castScalar(a, want, l);
      if (!isa<ShapedType>(c.getType()) && c.getType() != want)
        c = castScalar(c, want, l);
    }
    if (e.op == TokenKind::At)
      return GenValue::ssa(matmul(a, c, l));
    return GenValue::ssa(binary(e.op, a, c, l));
  }
  case ExprKind::List: {
    lang::Type type = typeOf(e);
    mlir::Type element = scalarType(type.scalar);
    SmallVector<Value> elements;
    for (const ExprPtr &x : e.operands)
      elements.push_back(castScalar(genValue(*x), element, l));
    auto staticType =
        RankedTensorType::get({int64_t(elements.size())}, element);
    Value list = tensor::FromElementsOp::create(b, l, staticType, elements);
    // A list is tensor<?xT>; a list literal used as a vector keeps its length.
    if (type.kind == lang::Type::Tensor)
      return GenValue::ssa(list);
    return GenValue::ssa(tensor::CastOp::create(
        b, l, RankedTensorType::get({ShapedType::kDynamic}, element), list));
  }
  case ExprKind::Range: {
    GenValue range;
    range.kind = GenValue::RangeV;
    range.value = genValue(*e.operands[0]);
    range.aux = genValue(*e.operands[1]);
    return range;
  }
  }
  return GenValue();
}

GenValue MLIRGen::genCall(const Expr &e, const lang::Type *expected) {
  const Expr &callee = *e.operands[0];
  if (callee.kind == ExprKind::Name && !find(callee.text)) {
    auto it = program.types.find(&callee);
    if (it != program.types.end() && it->second.kind == lang::Type::Builtin)
      return genBuiltin(callee.text, e, expected, nullptr);
  }
  auto typeIt = program.types.find(&callee);
  lang::Type calleeType =
      typeIt == program.types.end() ? lang::Type::error() : typeIt->second;
  // Model and optimizer types and free functions are compile-time entities:
  // nothing to evaluate for the callee itself.
  bool compileTime =
      calleeType.kind == lang::Type::ModelCtor ||
      calleeType.kind == lang::Type::OptimizerCtor ||
      (calleeType.kind == lang::Type::Function && !calleeType.model);
  GenValue f = compileTime ? GenValue() : gen(callee);
  if (f.kind == GenValue::Builtin)
    return genBuiltin(f.builtin, e, expected, &f);
  if (calleeType.kind == lang::Type::ModelCtor) {
    GenValue m;
    m.kind = GenValue::Model;
    m.model = instantiate(*calleeType.model, e);
    return m;
  }
  if (calleeType.kind == lang::Type::OptimizerCtor) {
    GenValue o;
    o.kind = GenValue::Optimizer;
    o.opt = makeOptimizer(*calleeType.optimizer, e);
    return o;
  }
  if (f.kind == GenValue::Function || calleeType.kind == lang::Type::Function) {
    const FnDecl *fn = f.fn ? f.fn : calleeType.fn;
    return inlineFn(*fn, e, f.model);
  }
  if (f.kind == GenValue::Model) {
    const FnDecl *forward = f.model->decl->method("forward");
    return inlineFn(*forward, e, f.model);
  }
  unsupported(e.range, "cannot generate this call");
}

GenValue MLIRGen::genBuiltin(const std::string &name, const Expr &call,
                             const lang::Type *expected, const GenValue *self) {
  Location l = loc(call.range);
  auto resultType = [&]() {
    auto it = program.types.find(&call);
    return it == program.types.end() ? lang::Type::error() : it->second;
  };
  // Arguments in declaration order; named ones by name.
  auto arg = [&](size_t position, const char *argName) -> const Expr * {
    for (const Arg &a : call.args)
      if (a.name == argName)
        return a.value.get();
    size_t seen = 0;
    for (const Arg &a : call.args)
      if (a.name.empty() && seen++ == position)
        return a.value.get();
    return nullptr;
  };
  auto value = [&](size_t position, const char *argName) {
    return genValue(*arg(position, argName));
  };
  auto ssa = [](Value v) { return GenValue::ssa(v); };
  auto i64 = [&](int64_t v) {
    return (Value)arith::ConstantIntOp::create(b, l, b.getI64Type(), v);
  };

  if (name == "load_graph")
    return ssa(ms::LoadGraphOp::create(b, l, ms::GraphType::get(context),
                                       ValueRange{value(0, "source")},
                                       ArrayRef<NamedAttribute>{}));
  if (name == "load_dataset")
    return ssa(ms::LoadDatasetOp::create(b, l, ms::DatasetType::get(context),
                                         ValueRange{value(0, "source")},
                                         ArrayRef<NamedAttribute>{}));
  if (name == "batches") {
    GenValue g;
    g.kind = GenValue::Batches;
    g.value = value(0, "indices");
    g.aux = value(1, "size");
    const Expr *shuffle = arg(2, "shuffle");
    g.shuffle =
        shuffle && !(shuffle->kind == ExprKind::Bool && !shuffle->boolValue);
    if (shuffle && shuffle->kind != ExprKind::Bool)
      unsupported(shuffle->range, "`shuffle` must be `true` or `false` for "
                                  "code generation");
    const Expr *seed = arg(3, "seed");
    g.aux2 = seed ? toI64(genValue(*seed), l) : i64(seedCounter++);
    return g;
  }
  if (name == "sample") {
    const Expr *seedExpr = arg(3, "seed");
    Value seed =
        mixLoopCounters(seedExpr ? toI64(genValue(*seedExpr), l) : i64(0), l);
    // The op takes seeds of any length: a list of known length is cast.
    Value seeds = value(1, "seeds");
    auto seedsType = cast<RankedTensorType>(seeds.getType());
    if (seedsType.hasStaticShape())
      seeds = tensor::CastOp::create(
          b, l,
          RankedTensorType::get({ShapedType::kDynamic},
                                seedsType.getElementType()),
          seeds);
    return ssa(ms::SampleOp::create(
        b, l, ms::BlocksType::get(context),
        ValueRange{value(0, "graph"), seeds, value(2, "fanout"), seed},
        ArrayRef<NamedAttribute>{}));
  }
  if (name == "Blocks.layer")
    return ssa(ms::BlockLayerOp::create(
        b, l, ms::BlockType::get(context),
        ValueRange{self->value, toIndex(value(0, "index"), l)},
        ArrayRef<NamedAttribute>{}));
  if (name == "Optimizer.step") {
    step(*self->opt, value(0, "loss"), l);
    return GenValue();
  }
  if (name == "gather") {
    auto result = cast<RankedTensorType>(irType(resultType(), call.range));
    return ssa(ms::GatherOp::create(
        b, l, result, ValueRange{value(0, "table"), value(1, "indices")},
        ArrayRef<NamedAttribute>{}));
  }
  if (name == "relu" || name == "gelu" || name == "tanh" || name == "sigmoid" ||
      name == "exp" || name == "log" || name == "sqrt" || name == "abs")
    return ssa(mapUnary(name, value(0, "x"), l));
  if (name == "softmax" || name == "log_softmax") {
    Value x = value(0, "x");
    Value max = broadcastLastAxis(reduceLastAxis(x, true, l), x, l);
    Value shifted = arith::SubFOp::create(b, l, x, max);
    Value e = math::ExpOp::create(b, l, shifted);
    Value sum = broadcastLastAxis(reduceLastAxis(e, false, l), x, l);
    if (name == "softmax")
      return ssa(arith::DivFOp::create(b, l, e, sum));
    return ssa(
        arith::SubFOp::create(b, l, shifted, math::LogOp::create(b, l, sum)));
  }
  if (name == "sum" || name == "mean")
    return ssa(reduce(value(0, "x"), name == "mean", l));
  if (name == "transpose") {
    Value x = value(0, "x");
    auto type = cast<RankedTensorType>(x.getType());
    SmallVector<Value> dims;
    if (type.isDynamicDim(1))
      dims.push_back(tensor::DimOp::create(b, l, x, 1));
    if (type.isDynamicDim(0))
      dims.push_back(tensor::DimOp::create(b, l, x, 0));
    Value init = tensor::EmptyOp::create(
        b, l, ArrayRef<int64_t>{type.getDimSize(1), type.getDimSize(0)},
        type.getElementType(), dims);
    return ssa(
        linalg::TransposeOp::create(b, l, x, init, ArrayRef<int64_t>{1, 0})
            .getResult()[0]);
  }
  if (name == "concat") {
    // A fresh tensor with `a` at the front of the axis and `b` after it;
    // sizes sema saw as `?` on the other axes are checked at run time.
    Value x = value(0, "a"), y = value(1, "b");
    int64_t axis = 0;
    if (const Expr *a = arg(2, "axis"))
      axis = a->intValue;
    auto result = cast<RankedTensorType>(irType(resultType(), call.range));
    // Both in the result's element type (sema's: `i32` parts make an `int`
    // result today).
    x = convert(x, result.getElementType(), l);
    y = convert(y, result.getElementType(), l);
    auto tx = cast<RankedTensorType>(x.getType());
    int64_t rank = tx.getRank();
    opRange = call.range;
    opName = "`concat`";
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis)
        checkSizes(x, i, y, i, l);
    auto sizesOf = [&](Value v) {
      auto type = cast<RankedTensorType>(v.getType());
      SmallVector<OpFoldResult> sizes;
      for (int64_t i = 0; i < rank; ++i)
        sizes.push_back(
            type.isDynamicDim(i)
                ? OpFoldResult(tensor::DimOp::create(b, l, v, i).getResult())
                : OpFoldResult(b.getIndexAttr(type.getDimSize(i))));
      return sizes;
    };
    SmallVector<OpFoldResult> xSizes = sizesOf(x), ySizes = sizesOf(y);
    SmallVector<Value> dynamic;
    for (int64_t i = 0; i < rank; ++i) {
      if (!result.isDynamicDim(i))
        continue;
      Value size = getValueOrCreateConstantIndexOp(b, l, xSizes[i]);
      if (i == axis)
        size = arith::AddIOp::create(
            b, l, size, getValueOrCreateConstantIndexOp(b, l, ySizes[i]));
      dynamic.push_back(size);
    }
    Value joined = tensor::EmptyOp::create(b, l, result.getShape(),
                                           result.getElementType(), dynamic);
    SmallVector<OpFoldResult> zeros(rank, b.getIndexAttr(0)),
        ones(rank, b.getIndexAttr(1));
    joined =
        tensor::InsertSliceOp::create(b, l, x, joined, zeros, xSizes, ones);
    SmallVector<OpFoldResult> after = zeros;
    after[axis] = xSizes[axis];
    joined =
        tensor::InsertSliceOp::create(b, l, y, joined, after, ySizes, ones);
    return ssa(joined);
  }
  if (name == "reshape") {
    // The sizes as a shape tensor; a product that differs from the input's
    // element count stops the program at the call.
    Value x = value(0, "x");
    auto result = cast<RankedTensorType>(irType(resultType(), call.range));
    const Expr *shapeList = arg(1, "shape");
    SmallVector<Value> sizes;
    Value product = arith::ConstantIndexOp::create(b, l, 1);
    Value zero = arith::ConstantIndexOp::create(b, l, 0);
    for (const auto &element : shapeList->operands) {
      Value size = genValue(*element);
      if (!size.getType().isIndex())
        size = arith::IndexCastOp::create(b, l, b.getIndexType(), size);
      // Two negative sizes would multiply to the right count.
      failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, size, zero),
             "`reshape`: size {0} is negative", l, size);
      sizes.push_back(size);
      product = arith::MulIOp::create(b, l, product, size);
    }
    auto tx = cast<RankedTensorType>(x.getType());
    Value count = arith::ConstantIndexOp::create(b, l, 1);
    for (int64_t i = 0; i < tx.getRank(); ++i)
      count =
          arith::MulIOp::create(b, l, count, tensor::DimOp::create(b, l, x, i));
    opRange = call.range;
    opName = "`reshape` (the element counts)";
    checkSizesAtRunTime(count, product, l);
    Value shape = tensor::FromElementsOp::create(
        b, l, RankedTensorType::get({int64_t(sizes.size())}, b.getIndexType()),
        sizes);
    x = convert(x, result.getElementType(), l);
    return ssa(tensor::ReshapeOp::create(b, l, result, x, shape));
  }
  if (name == "argmax") {
    auto result = irType(resultType(), call.range);
    auto shaped = dyn_cast<RankedTensorType>(result);
    Value x = value(0, "x");
    // There is no largest of no values.
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t last = xType.getRank() - 1;
    if (xType.getDimSize(last) == 0)
      unsupported(call.range, "`argmax` of a tensor whose last dimension is "
                              "empty: there is no largest value");
    if (xType.isDynamicDim(last)) {
      Value columns = tensor::DimOp::create(b, l, x, last);
      failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, columns,
                                   arith::ConstantIndexOp::create(b, l, 0)),
             "`argmax` of a tensor whose last dimension is empty: there is "
             "no largest value",
             l);
    }
    if (!shaped) {
      auto vecType = RankedTensorType::get({}, b.getI64Type());
      Value v = ms::ArgmaxOp::create(b, l, vecType, ValueRange{x},
                                     ArrayRef<NamedAttribute>{});
      return ssa(tensor::ExtractOp::create(b, l, v, ValueRange{}));
    }
    return ssa(ms::ArgmaxOp::create(b, l, shaped, ValueRange{x},
                                    ArrayRef<NamedAttribute>{}));
  }
  if (name == "take_along") {
    auto result = irType(resultType(), call.range);
    Value x = value(0, "x"), labels = value(1, "labels");
    // One label per row: otherwise the op would read past one of them.
    opRange = call.range;
    opName = "`take_along` (rows of x and labels)";
    checkSizes(x, 0, labels, 0, l);
    return ssa(ms::TakeAlongOp::create(b, l, result, ValueRange{x, labels},
                                       ArrayRef<NamedAttribute>{}));
  }
  if (name == "aggregate_mean") {
    Value x = value(1, "x");
    auto type = cast<RankedTensorType>(x.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[0] = ShapedType::kDynamic;
    return ssa(ms::AggregateMeanOp::create(
        b, l, RankedTensorType::get(shape, type.getElementType()),
        ValueRange{value(0, "block"), x}, ArrayRef<NamedAttribute>{}));
  }
  if (name == "dst") {
    Value block = value(0, "block");
    Value x = value(1, "x");
    auto type = cast<RankedTensorType>(x.getType());
    Value rows = ms::FieldOp::create(b, l, b.getIndexType(), block, "num_dst");
    // The block's dst nodes are the first rows of its src nodes: x needs at
    // least that many rows.
    Value have = tensor::DimOp::create(b, l, x, 0);
    failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::ugt, rows, have),
           "`dst` takes the block's {0} dst rows, but x has {1} rows", l, rows,
           have);
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes = {rows};
    for (int64_t i = 1; i < type.getRank(); ++i)
      sizes.push_back(type.isDynamicDim(i)
                          ? OpFoldResult(tensor::DimOp::create(b, l, x, i))
                          : OpFoldResult(b.getIndexAttr(type.getDimSize(i))));
    SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
    return ssa(
        tensor::ExtractSliceOp::create(b, l, x, offsets, sizes, strides));
  }
  if (name == "zeros" || name == "ones" || name == "uniform" ||
      name == "normal") {
    // Sema gave the call the type it is used at (an annotation, a member's
    // declared type, a function's result).
    lang::Type t = expected && expected->kind == lang::Type::Tensor
                       ? *expected
                       : resultType();
    if (t.kind != lang::Type::Tensor)
      unsupported(call.range, "cannot tell the shape of `" + name + "` here");
    auto type = cast<RankedTensorType>(irType(t, call.range));
    SmallVector<Value> dims = dynamicDimsFor(t, type, call.range);
    if (name == "zeros" || name == "ones")
      return ssa(fill(name == "ones" ? 1.0 : 0.0, type, dims, l));
    mlir::Type element = type.getElementType();
    int64_t seed = seedCounter++;
    if (const Expr *s = arg(2, "seed"))
      if (s->kind == ExprKind::Int)
        seed = s->intValue;
    auto uniform = [&](Value low, Value high, int64_t withSeed) -> Value {
      if (loopIvs.empty()) {
        SmallVector<Value> operands = {low, high};
        operands.append(dims);
        return ms::RandomUniformOp::create(
                   b, l, type, operands,
                   {b.getNamedAttr("seed", b.getI64IntegerAttr(withSeed))})
            .getResult();
      }
      // In a loop, each iteration draws afresh (noise, dropout masks): the
      // same generator, its seed mixed with the loop counters as
      // `sample`'s is, so known only at run time.
      Value unit = unitDraws(mixLoopCounters(i64(withSeed), l), 0,
                             type.getShape(), dims, l);
      mlir::Type f64 = b.getF64Type();
      Value low64 = castScalar(low, f64, l), high64 = castScalar(high, f64, l);
      int64_t rank = type.getRank();
      AffineMap all = b.getMultiDimIdentityMap(rank);
      return linalg::GenericOp::create(
                 b, l, TypeRange{type}, ValueRange{unit},
                 ValueRange{tensor::EmptyOp::create(b, l, type.getShape(),
                                                    element, dims)},
                 ArrayRef<AffineMap>{all, all},
                 SmallVector<utils::IteratorType>(
                     rank, utils::IteratorType::parallel),
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   // low + (high - low) * u in f64, then the element type.
                   Value v = arith::AddFOp::create(
                       nb, nl, low64,
                       arith::MulFOp::create(
                           nb, nl, arith::SubFOp::create(nb, nl, high64, low64),
                           args[0]));
                   if (element != f64)
                     v = arith::TruncFOp::create(nb, nl, element, v);
                   linalg::YieldOp::create(nb, nl, v);
                 })
          .getResult(0);
    };
    if (name == "uniform") {
      Value low = castScalar(value(0, "low"), element, l);
      Value high = castScalar(value(1, "high"), element, l);
      // Finite bounds in order (an infinite or NaN one draws NaN); ordered
      // comparisons are false for NaN.
      Value limit =
          constantFloat(std::numeric_limits<double>::max(), b.getF64Type(), l);
      auto finite = [&](Value v) -> Value {
        Value wide = castScalar(v, b.getF64Type(), l);
        Value magnitude = math::AbsFOp::create(b, l, wide);
        return arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, magnitude,
                                     limit);
      };
      Value ordered =
          arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, low, high);
      Value fine = arith::AndIOp::create(
          b, l, ordered,
          arith::AndIOp::create(b, l, finite(low), finite(high)));
      Value one = arith::ConstantIntOp::create(b, l, b.getI1Type(), 1);
      failIf(arith::XOrIOp::create(b, l, fine, one),
             "`uniform(low, high)` needs finite bounds with low <= high", l);
      return ssa(uniform(low, high, seed));
    }
    // normal(mean, std): Box-Muller over two uniform draws, u1 in (0, 1]
    // (seeded `seed`) and u2 in [0, 1) (seeded `seed` with its top bit
    // flipped, a stream no other initializer uses):
    // mean + std * sqrt(-2 ln u1) * cos(2 pi u2).
    Value mean = castScalar(value(0, "mean"), element, l);
    Value stddev = castScalar(value(1, "std"), element, l);
    auto scalar = [&](double v) -> Value {
      return arith::ConstantOp::create(b, l, b.getFloatAttr(element, v));
    };
    auto splat = [&](Value v) -> Value {
      return tensor::SplatOp::create(b, l, type, v, dims);
    };
    Value u1 = arith::SubFOp::create(b, l, splat(scalar(1.0)),
                                     uniform(scalar(0.0), scalar(1.0), seed));
    Value u2 = uniform(scalar(0.0), scalar(1.0),
                       seed ^ std::numeric_limits<int64_t>::min());
    Value radius = math::SqrtOp::create(
        b, l,
        arith::MulFOp::create(b, l, splat(scalar(-2.0)),
                              math::LogOp::create(b, l, u1)));
    Value angle = math::CosOp::create(
        b, l, arith::MulFOp::create(b, l, splat(scalar(2.0 * M_PI)), u2));
    Value standard = arith::MulFOp::create(b, l, radius, angle);
    return ssa(arith::AddFOp::create(
        b, l, splat(mean),
        arith::MulFOp::create(b, l, splat(stddev), standard)));
  }
  if (name == "zeros_like" || name == "ones_like") {
    Value x = value(0, "x");
    auto type = cast<RankedTensorType>(x.getType());
    return ssa(
        fill(name == "ones_like" ? 1.0 : 0.0, type, dynamicDims(x, l), l));
  }
  if (name == "f32" || name == "f64" || name == "int" || name == "i32") {
    mlir::Type to = name == "f32"   ? (mlir::Type)b.getF32Type()
                    : name == "f64" ? (mlir::Type)b.getF64Type()
                    : name == "int" ? (mlir::Type)b.getI64Type()
                                    : (mlir::Type)b.getI32Type();
    Value x = value(0, "x");
    mlir::Type from = getElementTypeOrSelf(x.getType());
    if (isa<FloatType>(from) && isa<IntegerType>(to)) {
      // Past the integer's range (or NaN) the conversion has no value:
      // stop rather than print whatever the hardware gives.
      unsigned width = to.getIntOrFloatBitWidth();
      double limit = std::ldexp(1.0, int(width) - 1);
      auto splat = [&](double v) -> Value {
        Value c = constantFloat(v, from, l);
        return isa<ShapedType>(x.getType()) ? splatLike(c, x, l) : c;
      };
      Value inRange = arith::AndIOp::create(
          b, l,
          arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, x,
                                splat(-limit)),
          arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x,
                                splat(limit)));
      Value one = arith::ConstantIntOp::create(b, l, b.getI1Type(), 1);
      Value outside = arith::XOrIOp::create(
          b, l, inRange,
          isa<ShapedType>(x.getType()) ? splatLike(one, x, l) : one);
      std::string what = "`" + name + "(...)`: ";
      if (!isa<ShapedType>(x.getType())) {
        failIf(outside,
               what + "the value is NaN or outside the range of " +
                   (width == 64 ? "int" : "i32"),
               l);
      } else {
        failIfAny(outside,
                  what + "{0} value(s) NaN or outside the range of " +
                      (width == 64 ? "int" : "i32"),
                  l);
      }
    }
    return ssa(convert(x, to, l));
  }
  if (name == "pow" || name == "min" || name == "max") {
    Value a = value(0, "a"), c = value(1, "b");
    opRange = call.range;
    opName = "`" + name + "`";
    // Scalars take the call's type (a literal adopts the other argument's).
    lang::Type result = resultType();
    if (result.kind == lang::Type::Scalar) {
      mlir::Type want = scalarType(result.scalar);
      a = castScalar(a, want, l);
      c = castScalar(c, want, l);
    }
    // (Sema made tensors agree; only a scalar side may need converting.)
    std::tie(a, c) = broadcastPair(a, c, l);
    bool fp = isa<FloatType>(getElementTypeOrSelf(a.getType()));
    if (name == "pow") {
      if (!fp)
        unsupported(call.range, "`pow` is generated for floats only");
      return ssa(math::PowFOp::create(b, l, a, c));
    }
    if (name == "min")
      return ssa(fp ? (Value)arith::MinimumFOp::create(b, l, a, c)
                    : (Value)arith::MinSIOp::create(b, l, a, c));
    return ssa(fp ? (Value)arith::MaximumFOp::create(b, l, a, c)
                  : (Value)arith::MaxSIOp::create(b, l, a, c));
  }
  if (name == "len") {
    Value x = value(0, "x");
    return ssa(toI64(tensor::DimOp::create(b, l, x, 0), l));
  }
  if (name == "self_consistency" || name == "conditional_nll") {
    bool withMarginal = name == "self_consistency";
    if (const Expr *orders = withMarginal ? arg(3, "orders") : nullptr)
      if (orders->kind != ExprKind::Int || orders->intValue != 1)
        unsupported(orders->range,
                    "`self_consistency` is generated for `orders: 1` (one "
                    "random order per sample) only");
    GenValue marginal = withMarginal ? gen(*arg(0, "marginal")) : GenValue();
    GenValue conditional = gen(*arg(withMarginal ? 1 : 0, "conditional"));
    // A seed of the call's own (or `seed:`), mixed with the enclosing loop
    // counters as `sample`'s is: each step draws new orders.
    const Expr *seedExpr = arg(withMarginal ? 4 : 2, "seed");
    Value seed = mixLoopCounters(
        seedExpr ? toI64(genValue(*seedExpr), l) : i64(seedCounter++), l);
    auto result = cast<RankedTensorType>(irType(resultType(), call.range));
    return ssa(selfConsistency(withMarginal ? &marginal : nullptr, conditional,
                               value(withMarginal ? 2 : 1, "x"), seed, result,
                               call, name));
  }
  if (name == "merge_layers") {
    Value kv = value(0, "kv");
    mlir::Type element = cast<RankedTensorType>(kv.getType()).getElementType();
    auto scalarOr = [&](size_t position, const char *argName,
                        double byDefault) {
      const Expr *given = arg(position, argName);
      if (!given)
        return constantFloat(byDefault, element, l);
      // A number written in the call is checked now; other values when the
      // program runs (sluice.merge_layers's lowering).
      if (given->kind == ExprKind::Int || given->kind == ExprKind::Float) {
        double v = given->kind == ExprKind::Int ? double(given->intValue)
                                                : given->floatValue;
        if (!(v >= 0.0 && v <= 1.0)) {
          std::ostringstream number;
          number << v;
          unsupported(given->range, Twine("`merge_layers`: ") + argName +
                                        " must lie in [0, 1], not " +
                                        number.str());
        }
      }
      return castScalar(genValue(*given), element, l);
    };
    // The paper's default: merge the deeper half, from layer L / 2.
    Value from = arg(1, "from")
                     ? toI64(value(1, "from"), l)
                     : toI64(arith::DivUIOp::create(
                                 b, l, tensor::DimOp::create(b, l, kv, 0),
                                 arith::ConstantIndexOp::create(b, l, 2)),
                             l);
    return mergeLayers(kv, from, scalarOr(2, "t", 0.6),
                       scalarOr(3, "gamma", 0.05), call);
  }
  unsupported(call.range, "`" + name + "` is not generated yet");
}

GenValue MLIRGen::mergeLayers(Value kv, Value from, Value t, Value gamma,
                              const Expr &call) {
  // MiniCache (TECHNIQUES.md, section 3): layers from, from + 1 merge into
  // one direction per token, and so on in pairs (a layer left over at the
  // end, and the layers before `from`, are kept). Per pair, separately for K
  // and V, sluice.merge_layers states what is kept: two magnitudes per token
  // and one direction, with some tokens retained unmerged. Here: the pairs
  // cut out of the cache, merged and restored, and written back.
  Location l = loc(call.range);
  auto kvType = cast<RankedTensorType>(kv.getType());
  mlir::Type element = kvType.getElementType();
  mlir::Type i64 = b.getI64Type();
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, l, v);
  };
  // Slice positions: a value, or a constant the types can see.
  auto at = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
  auto ones = [&](int n) {
    return SmallVector<OpFoldResult>(n, b.getIndexAttr(1));
  };
  auto dim = [&](Value v, int64_t d) -> Value {
    return tensor::DimOp::create(b, l, v, d);
  };
  Value layers = dim(kv, 0), tokens = dim(kv, 2), width = dim(kv, 3);
  if (!kvType.isDynamicDim(1) && kvType.getDimSize(1) != 2)
    unsupported(call.range, "`merge_layers` needs K and V on the second "
                            "axis (size 2), not " +
                                Twine(kvType.getDimSize(1)));
  Value kinds = dim(kv, 1);
  failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, kinds, index(2)),
         "`merge_layers` needs K and V on the second axis (size 2), not {0}", l,
         kinds);
  Value from64 = from;
  Value fromIdx = toIndex(from, l);
  failIf(arith::OrIOp::create(
             b, l,
             arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, from64,
                                   arith::ConstantIntOp::create(b, l, i64, 0)),
             arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, from64,
                                   toI64(layers, l))),
         "`merge_layers`: the first merged layer {0} is outside [0, {1}]", l,
         from64, layers);

  // The merged layers as [pairs, 2 (the pair's layers), 2 (K, V), T, D].
  Value pairs = arith::DivUIOp::create(
      b, l, arith::SubIOp::create(b, l, layers, fromIdx), index(2));
  Value merged = arith::MulIOp::create(b, l, pairs, index(2));
  int64_t dynamic = ShapedType::kDynamic;
  auto sliceType =
      RankedTensorType::get({dynamic, 2, dynamic, dynamic}, element);
  SmallVector<OpFoldResult> regionAt = {fromIdx, at(0), at(0), at(0)};
  SmallVector<OpFoldResult> regionSizes = {merged, at(2), tokens, width};
  Value region = tensor::ExtractSliceOp::create(b, l, sliceType, kv, regionAt,
                                                regionSizes, ones(4));
  Value grouped = reshapeTo(region, {pairs, index(2), index(2), tokens, width},
                            {dynamic, 2, 2, dynamic, dynamic}, l);
  auto layerOf = [&](int64_t which) {
    SmallVector<OpFoldResult> offsets = {at(0), at(which), at(0), at(0), at(0)};
    SmallVector<OpFoldResult> sizes = {pairs, at(1), at(2), tokens, width};
    return tensor::ExtractSliceOp::create(
               b, l,
               RankedTensorType::get({dynamic, 2, dynamic, dynamic}, element),
               grouped, offsets, sizes, ones(5))
        .getResult();
  };
  Value a = layerOf(0), c = layerOf(1); // [pairs, 2, T, D]

  // The merge of every pair at once (its lowering checks t and gamma), and
  // both layers restored from it.
  auto tokensType = RankedTensorType::get({dynamic, 2, dynamic}, element);
  auto merge = ms::MergeLayersOp::create(
      b, l, a.getType(), tokensType, tokensType,
      RankedTensorType::get({dynamic, 2, dynamic}, b.getI1Type()), a, c, t,
      gamma);
  Value keep = merge.getRetained();
  Value restoredA = ms::RestoreLayerOp::create(
      b, l, merge.getDirection(), merge.getPreviousMagnitude(), keep, a);
  Value restoredC = ms::RestoreLayerOp::create(
      b, l, merge.getDirection(), merge.getCurrentMagnitude(), keep, c);

  // The restored cache: the merged region written back over a copy of kv.
  Value stacked = tensor::EmptyOp::create(
      b, l, ArrayRef<int64_t>{dynamic, 2, 2, dynamic, dynamic}, element,
      ValueRange{pairs, tokens, width});
  auto putBack = [&](Value into, Value part, int64_t which) {
    SmallVector<OpFoldResult> offsets = {at(0), at(which), at(0), at(0), at(0)};
    SmallVector<OpFoldResult> sizes = {pairs, at(1), at(2), tokens, width};
    return tensor::InsertSliceOp::create(b, l, part, into, offsets, sizes,
                                         ones(5))
        .getResult();
  };
  stacked = putBack(putBack(stacked, restoredA, 0), restoredC, 1);
  Value back = reshapeTo(stacked, {merged, index(2), tokens, width},
                         {dynamic, 2, dynamic, dynamic}, l);
  Value restored = tensor::InsertSliceOp::create(b, l, back, kv, regionAt,
                                                 regionSizes, ones(4));

  // Bytes as stored: kept layers whole; per merged pair and K or V, the
  // direction (T x D), two magnitudes per token and, per retained token,
  // its index and both original vectors.
  int64_t bytesPer = (element.getIntOrFloatBitWidth() + 7) / 8;
  auto i64c = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, l, i64, v);
  };
  Value T64 = toI64(tokens, l), D64 = toI64(width, l);
  Value kept = arith::SubIOp::create(b, l, toI64(layers, l), toI64(merged, l));
  Value bytes = arith::MulIOp::create(
      b, l, arith::MulIOp::create(b, l, kept, i64c(2 * bytesPer)),
      arith::MulIOp::create(b, l, T64, D64));
  Value perKind = arith::AddIOp::create(
      b, l,
      arith::MulIOp::create(b, l, arith::MulIOp::create(b, l, T64, D64),
                            i64c(bytesPer)),
      arith::MulIOp::create(b, l, T64, i64c(2 * bytesPer)));
  bytes = arith::AddIOp::create(
      b, l, bytes,
      arith::MulIOp::create(
          b, l, arith::MulIOp::create(b, l, toI64(pairs, l), i64c(2)),
          perKind));
  Value retained = reduce(convert(keep, i64, l), /*mean=*/false, l);
  Value perRetained = arith::AddIOp::create(
      b, l, i64c(8), arith::MulIOp::create(b, l, D64, i64c(2 * bytesPer)));
  bytes = arith::AddIOp::create(
      b, l, bytes, arith::MulIOp::create(b, l, retained, perRetained));
  GenValue cache;
  cache.kind = GenValue::Cache;
  cache.value = restored;
  cache.aux = bytes;
  return cache;
}

Value MLIRGen::mixLoopCounters(Value seed, Location l) {
  for (Value iv : loopIvs)
    seed = arith::AddIOp::create(
        b, l,
        arith::MulIOp::create(
            b, l, seed,
            arith::ConstantIntOp::create(b, l, b.getI64Type(), 1000003)),
        toI64(iv, l));
  return seed;
}

Value MLIRGen::reshapeTo(Value v, ArrayRef<Value> sizes,
                         ArrayRef<int64_t> shape, Location l) {
  Value shapeTensor = tensor::FromElementsOp::create(
      b, l, RankedTensorType::get({int64_t(sizes.size())}, b.getIndexType()),
      sizes);
  auto type = RankedTensorType::get(
      shape, cast<RankedTensorType>(v.getType()).getElementType());
  return tensor::ReshapeOp::create(b, l, type, v, shapeTensor).getResult();
}

Value MLIRGen::unitDraws(Value seed, uint64_t stream, ArrayRef<int64_t> shape,
                         ValueRange dims, Location l) {
  // sluice.random_uniform's generator, whose seed is an attribute: here the
  // seed changes with the loop counters. Element k (row-major) is
  // splitmix64's output function of (seed ^ stream * 0xD1B54A32D192ED03) +
  // (k + 1) * 0x9E3779B97F4A7C15, its top 53 bits scaled to [0, 1).
  mlir::Type f64 = b.getF64Type(), i64 = b.getI64Type();
  Value init = tensor::EmptyOp::create(b, l, shape, f64, dims);
  int64_t rank = int64_t(shape.size());
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < rank; ++d)
    sizes.push_back(tensor::DimOp::create(b, l, init, d));
  Value start = arith::XOrIOp::create(
      b, l, seed,
      arith::ConstantIntOp::create(b, l, i64,
                                   int64_t(stream * 0xD1B54A32D192ED03ull)));
  auto type = RankedTensorType::get(shape, f64);
  return linalg::GenericOp::create(
             b, l, TypeRange{type}, ValueRange{}, ValueRange{init},
             ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange) {
               auto c = [&](uint64_t v) -> Value {
                 return arith::ConstantIntOp::create(nb, nl, i64, int64_t(v));
               };
               Value k = linalg::IndexOp::create(nb, nl, 0);
               for (int64_t d = 1; d < rank; ++d)
                 k = arith::AddIOp::create(
                     nb, nl, arith::MulIOp::create(nb, nl, k, sizes[d]),
                     linalg::IndexOp::create(nb, nl, d));
               Value k64 = arith::IndexCastOp::create(nb, nl, i64, k);
               Value z = arith::AddIOp::create(
                   nb, nl, start,
                   arith::MulIOp::create(
                       nb, nl, arith::AddIOp::create(nb, nl, k64, c(1)),
                       c(0x9E3779B97F4A7C15ull)));
               auto mix = [&](Value v, uint64_t shift, uint64_t factor) {
                 Value x = arith::XOrIOp::create(
                     nb, nl, v, arith::ShRUIOp::create(nb, nl, v, c(shift)));
                 return factor
                            ? (Value)arith::MulIOp::create(nb, nl, x, c(factor))
                            : x;
               };
               z = mix(z, 30, 0xBF58476D1CE4E5B9ull);
               z = mix(z, 27, 0x94D049BB133111EBull);
               z = mix(z, 31, 0);
               Value top = arith::ShRUIOp::create(nb, nl, z, c(11));
               Value u = arith::MulFOp::create(
                   nb, nl, arith::UIToFPOp::create(nb, nl, f64, top),
                   arith::ConstantOp::create(
                       nb, nl, nb.getFloatAttr(f64, std::ldexp(1.0, -53))));
               linalg::YieldOp::create(nb, nl, u);
             })
      .getResult(0);
}

Value MLIRGen::selfConsistency(const GenValue *marginal,
                               const GenValue &conditional, Value x, Value seed,
                               RankedTensorType result, const Expr &call,
                               StringRef name) {
  std::string who = ("`" + name + "`").str();
  // MaM (TECHNIQUES.md, section 4), one random order per sample: variable
  // j = sigma(d) is uniform, and the variables observed before it (those
  // whose key is below the sample's cut, j excepted) are a uniform subset
  // of a uniform size: the distribution of sigma(<d) and sigma(d) for a
  // uniform order sigma and a uniform d in 1..D. Unknown is 0. Then
  // sluice.mam_residual gives
  //   r = f(x_cur) - f(x_prev) - log_softmax(phi(x_prev)[j, :])[x_j - 1].
  Location l = loc(call.range);
  auto forwardOf = [&](const GenValue &m, const char *which) {
    const FnDecl *forward = m.kind == GenValue::Model && m.model
                                ? m.model->decl->method("forward")
                                : nullptr;
    if (!forward || forward->params.size() != 1)
      unsupported(call.range, (Twine(who) + "'s ") + which +
                                  " network needs a `forward(self, x)` of "
                                  "one argument");
    return forward;
  };
  const FnDecl *marginalForward =
      marginal ? forwardOf(*marginal, "marginal") : nullptr;
  const FnDecl *conditionalForward = forwardOf(conditional, "conditional");
  auto xType = cast<RankedTensorType>(x.getType());
  mlir::Type element = xType.getElementType();
  if (!isa<FloatType>(element))
    unsupported(call.range, who +
                                "'s samples must be floats "
                                "(what the networks read): values 1..K, and 0 "
                                "for unknown");
  mlir::Type i64 = b.getI64Type(), f64 = b.getF64Type(),
             f32 = result.getElementType();
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  Value rows = tensor::DimOp::create(b, l, x, 0);
  Value vars = tensor::DimOp::create(b, l, x, 1);
  failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, vars, zero),
         who + " needs samples of at least one variable", l);
  int64_t batch = xType.getDimSize(0);
  SmallVector<Value> rowDims;
  if (ShapedType::isDynamic(batch))
    rowDims.push_back(rows);
  MLIRContext *ctx = context;
  AffineMap rowMap = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
  AffineMap all2 = b.getMultiDimIdentityMap(2);
  AffineMap all1 = b.getMultiDimIdentityMap(1);
  auto parallel = [](int64_t rank) {
    return SmallVector<utils::IteratorType>(rank,
                                            utils::IteratorType::parallel);
  };
  Value vars64 = toI64(vars, l);

  // The draws: the added variable, the cut, and a key per variable.
  Value pick = unitDraws(seed, 1, {batch}, rowDims, l);
  Value cut = unitDraws(seed, 2, {batch}, rowDims, l);
  Value keys = unitDraws(seed, 3, xType.getShape(), dynamicDims(x, l), l);
  auto rowsOf = [&](mlir::Type t) {
    return tensor::EmptyOp::create(b, l, ArrayRef<int64_t>{batch}, t, rowDims)
        .getResult();
  };
  Value added =
      linalg::GenericOp::create(
          b, l, TypeRange{RankedTensorType::get({batch}, i64)},
          ValueRange{pick}, ValueRange{rowsOf(i64)},
          ArrayRef<AffineMap>{all1, all1}, parallel(1),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            // floor(u * D), and D - 1 should the product round up to D.
            Value scaled = arith::MulFOp::create(
                nb, nl, args[0], arith::SIToFPOp::create(nb, nl, f64, vars64));
            Value j = arith::FPToSIOp::create(nb, nl, i64, scaled);
            Value last = arith::SubIOp::create(
                nb, nl, vars64, arith::ConstantIntOp::create(nb, nl, i64, 1));
            linalg::YieldOp::create(
                nb, nl, ValueRange{arith::MinSIOp::create(nb, nl, j, last)});
          })
          .getResult(0);
  // x_prev and x_cur: x where observed, 0 (unknown) elsewhere.
  auto masked = linalg::GenericOp::create(
      b, l, TypeRange{xType, xType}, ValueRange{added, cut, keys, x},
      ValueRange{emptyLike(x, element, l), emptyLike(x, element, l)},
      ArrayRef<AffineMap>{rowMap, rowMap, all2, all2, all2, all2}, parallel(2),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value i = arith::IndexCastOp::create(
            nb, nl, i64, linalg::IndexOp::create(nb, nl, 1));
        Value isAdded =
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, i, args[0]);
        Value before = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OLT,
                                             args[2], args[1]);
        Value one = arith::ConstantIntOp::create(nb, nl, nb.getI1Type(), 1);
        Value prev = arith::AndIOp::create(
            nb, nl, before, arith::XOrIOp::create(nb, nl, isAdded, one));
        Value cur = arith::OrIOp::create(nb, nl, prev, isAdded);
        Value unknown =
            arith::ConstantOp::create(nb, nl, nb.getFloatAttr(element, 0.0));
        linalg::YieldOp::create(
            nb, nl,
            ValueRange{arith::SelectOp::create(nb, nl, prev, args[3], unknown),
                       arith::SelectOp::create(nb, nl, cur, args[3], unknown)});
      });
  Value xPrev = masked.getResult(0), xCur = masked.getResult(1);

  // The networks: log p of each partial sample, the conditional's logits.
  auto run = [&](const FnDecl *forward, const GenValue &model, Value input,
                 const char *which) {
    GenValue out =
        expandFn(*forward, {GenValue::ssa(input)}, call, model.model);
    auto type = out.kind == GenValue::SSA
                    ? dyn_cast<RankedTensorType>(out.value.getType())
                    : RankedTensorType();
    if (!type || !isa<FloatType>(type.getElementType()))
      unsupported(call.range, (Twine(who) + "'s ") + which +
                                  " network must return a float tensor");
    return out.value;
  };
  auto logDensity = [&](Value input) {
    Value f = run(marginalForward, *marginal, input, "marginal");
    auto type = cast<RankedTensorType>(f.getType());
    if (type.getRank() == 2) {
      // One column: [B, 1] to [B].
      if (!type.isDynamicDim(1) && type.getDimSize(1) != 1)
        unsupported(call.range, who + "'s marginal network must "
                                      "return one log-probability per sample "
                                      "(f32[B] or f32[B, 1])");
      Value cols = tensor::DimOp::create(b, l, f, 1);
      failIf(arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, cols,
                                   arith::ConstantIndexOp::create(b, l, 1)),
             who + "'s marginal network returns {0} columns, not "
                   "one log-probability per sample",
             l, cols);
      f = reshapeTo(f, {rows}, {batch}, l);
    } else if (type.getRank() != 1) {
      unsupported(call.range,
                  who + "'s marginal network must "
                        "return one log-probability per sample (f32[B] "
                        "or f32[B, 1])");
    }
    opRange = call.range;
    opName = who + " (the marginal network's rows)";
    checkSizes(f, 0, x, 0, l);
    f = convert(f, f32, l);
    auto rowType = RankedTensorType::get({batch}, f32);
    return f.getType() == rowType
               ? f
               : (Value)tensor::CastOp::create(b, l, rowType, f);
  };
  Value fCur, fPrev;
  if (marginal) {
    fCur = logDensity(xCur);
    fPrev = logDensity(xPrev);
  }
  Value logits = run(conditionalForward, conditional, xPrev, "conditional");
  if (cast<RankedTensorType>(logits.getType()).getRank() != 2)
    unsupported(call.range,
                who + "'s conditional network must "
                      "return the logits of each variable's K values in "
                      "a row per sample (f32[B, D * K])");
  logits = convert(logits, f32, l);
  opRange = call.range;
  opName = who + " (the conditional network's rows)";
  checkSizes(logits, 0, x, 0, l);
  Value cols = tensor::DimOp::create(b, l, logits, 1);
  Value values = arith::DivUIOp::create(b, l, cols, vars);
  Value uneven = arith::OrIOp::create(
      b, l,
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne,
                            arith::RemUIOp::create(b, l, cols, vars), zero),
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, cols, zero));
  failIf(uneven,
         who + ": the conditional network gives {0} logits per "
               "sample, not K > 0 for each of the {1} variables",
         l, cols, vars);
  // [B, D * K] as [B, D, K], what sluice.mam_residual reads (K known to
  // the types where both widths are).
  int64_t width = cast<RankedTensorType>(logits.getType()).getDimSize(1);
  int64_t numVars = xType.getDimSize(1);
  int64_t classes = ShapedType::kDynamic;
  if (!ShapedType::isDynamic(width) && !ShapedType::isDynamic(numVars) &&
      numVars > 0 && width > 0 && width % numVars == 0)
    classes = width / numVars;
  Value perVariable =
      reshapeTo(logits, {rows, vars, values}, {batch, numVars, classes}, l);

  // The samples' values are classes 1..K.
  Value values64 = toI64(values, l);
  Value notClasses =
      linalg::GenericOp::create(
          b, l,
          TypeRange{RankedTensorType::get(xType.getShape(), b.getI1Type())},
          ValueRange{x}, ValueRange{emptyLike(x, b.getI1Type(), l)},
          ArrayRef<AffineMap>{all2, all2}, parallel(2),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value v = element == f64
                          ? args[0]
                          : (Value)arith::ExtFOp::create(nb, nl, f64, args[0]);
            Value whole =
                arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, v,
                                      math::FloorOp::create(nb, nl, v));
            Value atLeastOne = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::OGE, v,
                arith::ConstantOp::create(nb, nl, nb.getFloatAttr(f64, 1.0)));
            Value atMostK = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::OLE, v,
                arith::SIToFPOp::create(nb, nl, f64, values64));
            Value ok = arith::AndIOp::create(
                nb, nl, whole,
                arith::AndIOp::create(nb, nl, atLeastOne, atMostK));
            Value one = arith::ConstantIntOp::create(nb, nl, nb.getI1Type(), 1);
            linalg::YieldOp::create(
                nb, nl, ValueRange{arith::XOrIOp::create(nb, nl, ok, one)});
          })
          .getResult(0);
  failIfAny(notClasses,
            who +
                ": {0} sample value(s) are not whole numbers "
                "from 1 to K, the conditional network's logits per variable "
                "(0, unknown, is what the networks are given for the variables "
                "not yet observed)",
            l);
  // The added variable's value, as a 0-based class.
  Value xAdded =
      ms::TakeAlongOp::create(b, l, RankedTensorType::get({batch}, element),
                              ValueRange{x, added}, ArrayRef<NamedAttribute>{});
  Value value =
      linalg::GenericOp::create(
          b, l, TypeRange{RankedTensorType::get({batch}, i64)},
          ValueRange{xAdded}, ValueRange{rowsOf(i64)},
          ArrayRef<AffineMap>{all1, all1}, parallel(1),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value v = arith::FPToSIOp::create(nb, nl, i64, args[0]);
            linalg::YieldOp::create(
                nb, nl,
                ValueRange{arith::SubIOp::create(
                    nb, nl, v, arith::ConstantIntOp::create(nb, nl, i64, 1))});
          })
          .getResult(0);
  // self_consistency: r; conditional_nll: -log p_phi(x_j | x_prev).
  auto rowType = RankedTensorType::get({batch}, f32);
  // In bounds: `added` is in [0, D) by construction, the values were
  // checked above, and the logits' width is K per variable.
  Value r = marginal
                ? (Value)ms::MamResidualOp::create(b, l, fCur, fPrev,
                                                   perVariable, added, value,
                                                   /*in_bounds=*/true)
                : (Value)ms::ConditionalNllOp::create(b, l, rowType,
                                                      perVariable, added, value,
                                                      /*in_bounds=*/true);
  if (r.getType() != result)
    r = tensor::CastOp::create(b, l, result, r);
  return r;
}

OwningOpRef<ModuleOp> MLIRGen::run() {
  Module &main = program.main();
  module = ModuleOp::create(r.pointLoc({}));
  OwningOpRef<ModuleOp> owned(module);
  b.setInsertionPointToEnd(module.getBody());
  try {
    // Program parameters: module-level symbols, read at the top of each
    // pipeline.
    for (const ParamDecl &p : main.params) {
      auto it = program.types.find(p.defaultValue.get());
      (void)it;
      Location l = loc(p.range);
      // The parameter's type: from its annotation, which sema checked.
      lang::Type type;
      {
        auto name = p.type->name;
        if (p.type->kind == TypeExpr::List) {
          type = lang::Type::of(lang::Type::List);
          type.scalar = p.type->element->name == "int"   ? lang::Scalar::Int
                        : p.type->element->name == "i32" ? lang::Scalar::I32
                        : p.type->element->name == "f64" ? lang::Scalar::F64
                                                         : lang::Scalar::F32;
        } else if (name == "str" || name == "path") {
          type = lang::Type::of(lang::Type::Str);
        } else {
          type = lang::Type::scalarOf(name == "int"    ? lang::Scalar::Int
                                      : name == "i32"  ? lang::Scalar::I32
                                      : name == "bool" ? lang::Scalar::Bool
                                      : name == "f64"  ? lang::Scalar::F64
                                                       : lang::Scalar::F32);
        }
      }
      mlir::Type irT = irType(type, p.range);
      SmallVector<NamedAttribute> attrs = {
          b.getNamedAttr("sym_name", b.getStringAttr(p.name)),
          b.getNamedAttr("type", TypeAttr::get(irT))};
      if (const Expr *d = p.defaultValue.get()) {
        Attribute value;
        auto number = [&](const Expr &x) -> double {
          bool negative = x.kind == ExprKind::Unary;
          const Expr &lit = negative ? *x.operands[0] : x;
          double v =
              lit.kind == ExprKind::Int ? double(lit.intValue) : lit.floatValue;
          return negative ? -v : v;
        };
        if (type.kind == lang::Type::Str)
          value = b.getStringAttr(d->text);
        else if (type.kind == lang::Type::List) {
          mlir::Type element = scalarType(type.scalar);
          auto shape =
              RankedTensorType::get({int64_t(d->operands.size())}, element);
          if (isa<FloatType>(element)) {
            SmallVector<double> values;
            for (const ExprPtr &x : d->operands)
              values.push_back(number(*x));
            SmallVector<APFloat> floats;
            for (double v : values) {
              APFloat f(v);
              bool lost;
              f.convert(cast<FloatType>(element).getFloatSemantics(),
                        APFloat::rmNearestTiesToEven, &lost);
              floats.push_back(f);
            }
            value = DenseElementsAttr::get(shape, floats);
          } else {
            SmallVector<APInt> ints;
            for (const ExprPtr &x : d->operands)
              ints.push_back(APInt(element.getIntOrFloatBitWidth(),
                                   int64_t(number(*x)), true));
            value = DenseElementsAttr::get(shape, ints);
          }
        } else if (type.isScalar(lang::Scalar::Bool))
          value = b.getBoolAttr(d->boolValue);
        else if (isFloat(type.scalar))
          value = b.getFloatAttr(irT, number(*d));
        else
          value = b.getIntegerAttr(irT, int64_t(number(*d)));
        attrs.push_back(b.getNamedAttr("default_value", value));
      }
      ms::ParamOp::create(b, l, TypeRange{}, ValueRange{}, attrs);
    }
    SmallVector<func::FuncOp> pipelines;
    for (const auto &pipeline : main.pipelines) {
      Location l = loc(pipeline->range);
      b.setInsertionPointToEnd(module.getBody());
      placements.clear();
      for (const auto &schedule : main.schedules)
        if (schedule->name == pipeline->name)
          for (const Directive &d : schedule->directives)
            if (d.kind == Directive::Place)
              if (auto path = pathText(*d.target))
                placements[*path] =
                    d.placement == "device" ? ms::Placement::Device
                    : d.placement == "host_zero_copy"
                        ? ms::Placement::HostZeroCopy
                    : d.placement == "host_staged" ? ms::Placement::HostStaged
                                                   : ms::Placement::Auto;
      // `let F = G.features` and `place F in ...`: the path is placed.
      for (const StmtPtr &g : main.globals)
        if (g->kind == StmtKind::Let && placements.count(g->name))
          if (auto path = pathText(*g->value))
            placements[*path] = placements[g->name];
      // `main` is the executable's entry point; a pipeline of that name
      // gets another symbol.
      std::string symbol =
          pipeline->name == "main" ? "pipeline.main" : pipeline->name;
      auto fn = func::FuncOp::create(b, l, symbol, b.getFunctionType({}, {}));
      pipelines.push_back(fn);
      b.setInsertionPointToStart(fn.addEntryBlock());
      globals.clear();
      scopes.clear();
      live.clear();
      // Modules' globals (the used modules first), then the program's.
      for (auto it = program.modules.rbegin(); it != program.modules.rend();
           ++it) {
        currentModule = it->get();
        auto &g = globals[currentModule];
        for (const UseDecl &use : (*it)->uses) {
          if (!use.module)
            continue;
          GenValue ns;
          ns.kind = GenValue::ModuleNs;
          ns.module = use.module;
          StringRef name = StringRef(use.path).rsplit('.').second;
          g[name.empty() ? use.path : name.str()] = ns;
        }
        if (it->get() == &main)
          for (const ParamDecl &p : main.params) {
            auto param = cast<ms::ParamOp>(*llvm::find_if(
                module.getOps<ms::ParamOp>(),
                [&](ms::ParamOp op) { return op.getSymName() == p.name; }));
            Value v = ms::ParamValueOp::create(
                b, loc(p.range), param.getType(), ValueRange{},
                {b.getNamedAttr("param",
                                FlatSymbolRefAttr::get(context, p.name))});
            g[p.name] = GenValue::ssa(v);
          }
        for (const StmtPtr &s : (*it)->globals) {
          scopes.clear();
          scopes.emplace_back();
          genStmt(*s);
          g[s->name] = scopes.back()[s->name];
        }
      }
      currentModule = &main;
      scopes.clear();
      genBlock(pipeline->body);
      func::ReturnOp::create(b, l);
      checkSampledLayers(fn);
    }
    if (!pipelines.empty()) {
      b.setInsertionPointToEnd(module.getBody());
      Location l = loc(main.pipelines.front()->range);
      auto mainFn = func::FuncOp::create(
          b, l, "main", b.getFunctionType({}, {b.getI32Type()}));
      b.setInsertionPointToStart(mainFn.addEntryBlock());
      for (func::FuncOp fn : pipelines)
        func::CallOp::create(b, l, fn, ValueRange{});
      func::ReturnOp::create(
          b, l,
          ValueRange{arith::ConstantIntOp::create(b, l, b.getI32Type(), 0)});
    }
  } catch (GenError &) {
    return nullptr;
  }
  if (failed(verify(module)))
    return nullptr;
  return owned;
}

} // namespace

OwningOpRef<ModuleOp> generateIR(Program &program, Reporter &reporter) {
  return MLIRGen(program, reporter).run();
}

} // namespace sluice::lang
