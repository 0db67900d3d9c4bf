//===- ParallelLoopsToRuntime.cpp - scf.parallel onto the thread pool -----===//
//
// Generated loops run on every core through the runtime's thread pool rather
// than OpenMP: libomp is only packaged as a shared library, and executables
// need nothing beyond libc, libstdc++ and (for CUDA) the driver; the pool is
// the one the gathers, the sampler and the BLAS calls already share, so
// nothing oversubscribes the cores.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/Passes.h"
#include "sluice/Conversion/RuntimeCalls.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

#include <optional>

namespace mlir::sluice {
#define GEN_PASS_DEF_CONVERTPARALLELLOOPSTORUNTIME
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// A loop's trip count, if its bounds and step are constants.
std::optional<int64_t> constantTripCount(Value lower, Value upper, Value step) {
  APInt lo, hi, st;
  if (!matchPattern(lower, m_ConstantInt(&lo)) ||
      !matchPattern(upper, m_ConstantInt(&hi)) ||
      !matchPattern(step, m_ConstantInt(&st)) || st.getSExtValue() <= 0)
    return std::nullopt;
  int64_t span = hi.getSExtValue() - lo.getSExtValue();
  return span <= 0 ? 0 : (span + st.getSExtValue() - 1) / st.getSExtValue();
}

/// ceil((upper - lower) / step), as an index computed at `b`'s point.
Value tripCount(OpBuilder &b, Location loc, Value lower, Value upper,
                Value step) {
  Value span = arith::SubIOp::create(b, loc, upper, lower);
  return arith::CeilDivSIOp::create(b, loc, span, step);
}

/// The LLVM type a captured value travels in, or null if it cannot travel.
Type travellingType(const LLVMTypeConverter &converter, Type type) {
  if (type.isIndex() || type.isIntOrFloat())
    return converter.convertType(type);
  if (auto buffer = llvm::dyn_cast<MemRefType>(type))
    return buffer.isStrided() ? converter.convertType(type) : Type();
  return Type();
}

/// A value as the LLVM type it travels in (and back): an index through
/// arith.index_cast, a buffer through an unrealized cast that meets its
/// inverse once the module is lowered to LLVM, anything else as it is.
Value convertForTravel(OpBuilder &b, Location loc, Value value, Type to) {
  if (value.getType() == to)
    return value;
  if (value.getType().isIndex() || to.isIndex())
    return arith::IndexCastOp::create(b, loc, to, value);
  return UnrealizedConversionCastOp::create(b, loc, to, value).getResult(0);
}

/// `product` times the trip count of a loop (none when it is negative); the
/// same `product` for a loop of one iteration.
Value multiplyByTrips(OpBuilder &b, Location loc, Value product, Value lower,
                      Value upper, Value step) {
  std::optional<int64_t> constant = constantTripCount(lower, upper, step);
  if (constant && *constant == 1)
    return product;
  Value trips =
      arith::MaxSIOp::create(b, loc, tripCount(b, loc, lower, upper, step),
                             arith::ConstantIndexOp::create(b, loc, 0));
  return arith::MulIOp::create(b, loc, product, trips);
}

/// How many times the body of `loop` runs per iteration of dimension
/// `split`: the trip counts of its other dimensions and of the loops nested
/// in it whose bounds are all defined outside it (the others count once), as
/// an index computed before `loop`.
Value innerTrips(OpBuilder &b, scf::ParallelOp loop, unsigned split) {
  Location loc = loop.getLoc();
  Value product = arith::ConstantIndexOp::create(b, loc, 1);
  for (unsigned d = 0; d < loop.getNumLoops(); ++d)
    if (d != split)
      product = multiplyByTrips(b, loc, product, loop.getLowerBound()[d],
                                loop.getUpperBound()[d], loop.getStep()[d]);
  auto definedOutside = [&](Value value) {
    return !loop.getRegion().isAncestor(value.getParentRegion());
  };
  auto multiply = [&](Value lower, Value upper, Value step) {
    if (definedOutside(lower) && definedOutside(upper) && definedOutside(step))
      product = multiplyByTrips(b, loc, product, lower, upper, step);
  };
  loop.getRegion().walk([&](Operation *op) {
    if (auto inner = llvm::dyn_cast<scf::ForOp>(op))
      multiply(inner.getLowerBound(), inner.getUpperBound(), inner.getStep());
    else if (auto inner = llvm::dyn_cast<scf::ParallelOp>(op))
      for (unsigned d = 0; d < inner.getNumLoops(); ++d)
        multiply(inner.getLowerBound()[d], inner.getUpperBound()[d],
                 inner.getStep()[d]);
  });
  return product;
}

struct ConvertParallelLoopsToRuntimePass
    : sluice::impl::ConvertParallelLoopsToRuntimeBase<
          ConvertParallelLoopsToRuntimePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<scf::ParallelOp> loops;
    module.walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>() &&
          !loop->getParentOfType<gpu::LaunchOp>() &&
          !loop->getParentOfType<gpu::GPUModuleOp>() &&
          loop->getParentOfType<func::FuncOp>())
        loops.push_back(loop);
    });
    LLVMTypeConverter converter(&getContext());
    SymbolTable symbols(module);
    for (scf::ParallelOp loop : loops)
      outline(loop, converter, symbols);
  }

  void outline(scf::ParallelOp loop, const LLVMTypeConverter &converter,
               SymbolTable &symbols) {
    if (!loop.getInitVals().empty())
      return;
    // The dimension to split: the first that is not a single iteration.
    std::optional<unsigned> split;
    for (unsigned d = 0; d < loop.getNumLoops() && !split; ++d) {
      std::optional<int64_t> trips = constantTripCount(
          loop.getLowerBound()[d], loop.getUpperBound()[d], loop.getStep()[d]);
      if (!trips || *trips > 1)
        split = d;
    }
    if (!split)
      return;

    // Everything the loop reads from above, its own bounds included.
    // Constants are copied into the body rather than passed, so that LLVM
    // sees unit steps and static sizes there and vectorizes.
    SetVector<Value> used;
    used.insert(loop->getOperands().begin(), loop->getOperands().end());
    getUsedValuesDefinedAbove(loop.getRegion(), used);
    SmallVector<Value> captured, constants;
    SmallVector<Type> fields;
    for (Value value : used) {
      if (matchPattern(value, m_Constant())) {
        constants.push_back(value);
        continue;
      }
      Type field = travellingType(converter, value.getType());
      if (!field)
        return;
      captured.push_back(value);
      fields.push_back(field);
    }

    MLIRContext *context = loop.getContext();
    Location loc = loop.getLoc();
    auto caller = loop->getParentOfType<func::FuncOp>();
    auto contextType = LLVM::LLVMStructType::getLiteral(context, fields);
    auto pointer = LLVM::LLVMPointerType::get(context);
    OpBuilder b(loop);
    Type index = b.getIndexType(), i64 = b.getI64Type();
    auto bodyType = b.getFunctionType({pointer, index, index}, {});

    // The body: read the captured values back, then run the loop over the
    // chunk [begin, end) of the split dimension.
    OpBuilder atModule(caller);
    auto body = func::FuncOp::create(
        atModule, loc, (caller.getSymName() + "_parallel").str(), bodyType);
    body.setPrivate();
    symbols.insert(body); // renames it if the name is taken
    Block *entry = body.addEntryBlock();
    OpBuilder inBody = OpBuilder::atBlockBegin(entry);
    Value contextArgument = entry->getArgument(0);
    Value begin = entry->getArgument(1), end = entry->getArgument(2);
    IRMapping mapping;
    for (Value constant : constants)
      inBody.clone(*constant.getDefiningOp(), mapping);
    for (auto [position, value] : llvm::enumerate(captured)) {
      auto field = LLVM::GEPOp::create(
          inBody, loc, pointer, contextType, contextArgument,
          ArrayRef<LLVM::GEPArg>{0, int32_t(position)});
      Value loaded = LLVM::LoadOp::create(inBody, loc, fields[position], field);
      mapping.map(value,
                  convertForTravel(inBody, loc, loaded, value.getType()));
    }
    unsigned d = *split;
    Value lower = mapping.lookup(loop.getLowerBound()[d]);
    Value upper = mapping.lookup(loop.getUpperBound()[d]);
    Value step = mapping.lookup(loop.getStep()[d]);
    Value first = arith::AddIOp::create(
        inBody, loc, lower, arith::MulIOp::create(inBody, loc, begin, step));
    Value last = arith::MinSIOp::create(
        inBody, loc, upper,
        arith::AddIOp::create(inBody, loc, lower,
                              arith::MulIOp::create(inBody, loc, end, step)));
    auto chunk = llvm::cast<scf::ParallelOp>(inBody.clone(*loop, mapping));
    chunk.getLowerBoundMutable().slice(d, 1).assign(first);
    chunk.getUpperBoundMutable().slice(d, 1).assign(last);
    func::ReturnOp::create(inBody, loc);

    // The call: store the captured values, then hand the body to the pool.
    // The context lives in the caller's entry block: an alloca inside a loop
    // would take more stack on every iteration.
    OpBuilder atEntry = OpBuilder::atBlockBegin(&caller.getBody().front());
    Value one = arith::ConstantIntOp::create(atEntry, loc, i64, 1);
    Value contextValue =
        LLVM::AllocaOp::create(atEntry, loc, pointer, contextType, one);
    for (auto [position, value] : llvm::enumerate(captured)) {
      auto field =
          LLVM::GEPOp::create(b, loc, pointer, contextType, contextValue,
                              ArrayRef<LLVM::GEPArg>{0, int32_t(position)});
      LLVM::StoreOp::create(
          b, loc, convertForTravel(b, loc, value, fields[position]), field);
    }
    Value count = tripCount(b, loc, loop.getLowerBound()[d],
                            loop.getUpperBound()[d], loop.getStep()[d]);
    Value trips = innerTrips(b, loop, d);
    int64_t operations = 0;
    loop.getRegion().walk([&](Operation *op) {
      if (!op->hasTrait<OpTrait::IsTerminator>())
        ++operations;
    });
    Value cost = arith::MulIOp::create(
        b, loc, trips, arith::ConstantIndexOp::create(b, loc, operations));
    auto function = func::ConstantOp::create(
        b, loc, bodyType, SymbolRefAttr::get(body.getSymNameAttr()));
    func::FuncOp runtime = declareRuntimeFunction(
        b, caller->getParentOfType<ModuleOp>(), "sluice_rt_parallel_for",
        b.getFunctionType({index, index, bodyType, pointer}, {}));
    func::CallOp::create(b, loc, runtime,
                         ValueRange{count, cost, function, contextValue});
    loop.erase();
  }
};

} // namespace
