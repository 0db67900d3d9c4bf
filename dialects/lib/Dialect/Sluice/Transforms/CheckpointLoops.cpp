//===- CheckpointLoops.cpp - save and resume a training loop's state ------===//

#include "sluice/Conversion/RuntimeCalls.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::sluice {
#define GEN_PASS_DEF_CHECKPOINTLOOPS
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// sluice::rt::DType's code for a carried value's element type.
std::optional<int64_t> dtypeCode(Type type) {
  if (auto tensor = llvm::dyn_cast<RankedTensorType>(type))
    type = tensor.getElementType();
  if (type.isF32())
    return 5;
  if (type.isF64())
    return 6;
  if (type.isInteger(1))
    return 0;
  if (type.isInteger(32))
    return 3;
  if (type.isInteger(64) || type.isIndex())
    return 4;
  return std::nullopt;
}

/// The first top-level loop of a function that carries values, all of a
/// supported type, and contains another loop (epochs over batches).
scf::ForOp findTrainingLoop(ModuleOp module) {
  for (auto function : module.getOps<func::FuncOp>()) {
    if (function.isExternal())
      continue;
    for (Operation &op : function.getBody().front()) {
      auto loop = llvm::dyn_cast<scf::ForOp>(op);
      if (!loop || loop.getNumRegionIterArgs() == 0 ||
          !loop.getInductionVar().getType().isIndex())
        continue;
      bool nested = false;
      loop.getBody()->walk([&](scf::ForOp) { nested = true; });
      bool supported = llvm::all_of(loop.getResultTypes(), [](Type type) {
        return dtypeCode(type).has_value();
      });
      if (nested && supported)
        return loop;
    }
  }
  return nullptr;
}

Value i64Constant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), value);
}

/// The number of elements of a tensor value (1 for a scalar), as i64.
Value elementCount(OpBuilder &b, Location loc, Value value) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(value.getType());
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  if (tensor)
    for (int64_t dim = 0; dim < tensor.getRank(); ++dim)
      count = arith::MulIOp::create(b, loc, count,
                                    tensor::DimOp::create(b, loc, value, dim));
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
}

/// The memref a scalar of `type` is stored in (index as i64).
MemRefType scalarSlotType(Type type) {
  Type stored = type.isIndex() ? IntegerType::get(type.getContext(), 64) : type;
  return MemRefType::get({}, stored);
}

struct CheckpointLoopsPass
    : sluice::impl::CheckpointLoopsBase<CheckpointLoopsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    scf::ForOp loop = findTrainingLoop(module);
    if (!loop)
      return;
    MLIRContext *context = module.getContext();
    OpBuilder b(context);
    Type i64 = b.getI64Type(), index = b.getIndexType();
    Location loc = loop.getLoc();

    // main says the options are available, before it parses them.
    if (auto main = module.lookupSymbol<func::FuncOp>("main");
        main && !main.isExternal()) {
      b.setInsertionPointToStart(&main.getBody().front());
      func::CallOp::create(
          b, loc,
          declareRuntimeFunction(b, module, "sluice_rt_checkpoint_available",
                                 b.getFunctionType({}, {})),
          ValueRange{});
    }

    // At the function's start: a checkpoint to resume from is checked
    // before any work (the loop may come after other training).
    auto function = loop->getParentOfType<func::FuncOp>();
    b.setInsertionPointToStart(&function.getBody().front());
    func::CallOp::create(
        b, loc,
        declareRuntimeFunction(b, module, "sluice_rt_checkpoint_precheck",
                               b.getFunctionType({i64, index}, {})),
        ValueRange{i64Constant(b, loc, loop.getNumRegionIterArgs()),
                   locationString(b, module, loc)});

    // Before the loop: resume, if asked to.
    b.setInsertionPoint(loop);
    Value where = locationString(b, module, loc);
    // The loop's trip count: a checkpoint past it is corrupt (or written by
    // a longer run), and resuming from it would skip the loop silently.
    Value trips = arith::MaxSIOp::create(
        b, loc,
        arith::CeilDivSIOp::create(b, loc,
                                   arith::SubIOp::create(b, loc,
                                                         loop.getUpperBound(),
                                                         loop.getLowerBound()),
                                   loop.getStep()),
        arith::ConstantIndexOp::create(b, loc, 0));
    Value last =
        func::CallOp::create(
            b, loc,
            declareRuntimeFunction(b, module, "sluice_rt_checkpoint_resume",
                                   b.getFunctionType({i64, i64, index}, {i64})),
            ValueRange{i64Constant(b, loc, loop.getNumRegionIterArgs()),
                       arith::IndexCastOp::create(b, loc, i64, trips), where})
            .getResult(0);
    Value resuming = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                           last, i64Constant(b, loc, 0));
    func::FuncOp loadFn = declareRuntimeFunction(
        b, module, "sluice_rt_checkpoint_load",
        b.getFunctionType({i64, index, i64, i64, index}, {}));
    SmallVector<Value> inits;
    for (auto [k, init] : llvm::enumerate(loop.getInitArgs())) {
      Type type = init.getType();
      int64_t code = *dtypeCode(type);
      auto choice = scf::IfOp::create(b, loc, TypeRange{type}, resuming,
                                      /*withElseRegion=*/true);
      {
        OpBuilder tb = OpBuilder::atBlockEnd(choice.thenBlock());
        Location tl = loc;
        Value loaded;
        Value count = elementCount(tb, tl, init);
        auto load = [&](Value address) {
          func::CallOp::create(tb, tl, loadFn,
                               ValueRange{i64Constant(tb, tl, k), address,
                                          count, i64Constant(tb, tl, code),
                                          where});
        };
        if (auto tensor = llvm::dyn_cast<RankedTensorType>(type)) {
          SmallVector<Value> sizes;
          for (int64_t dim = 0; dim < tensor.getRank(); ++dim)
            sizes.push_back(
                tensor.isDynamicDim(dim)
                    ? (Value)tensor::DimOp::create(tb, tl, init, dim)
                    : Value());
          loaded = tensorFilledBy(tb, tl, tensor, sizes, load);
        } else {
          Value slot = memref::AllocaOp::create(tb, tl, scalarSlotType(type));
          load(memref::ExtractAlignedPointerAsIndexOp::create(tb, tl, slot));
          loaded = memref::LoadOp::create(tb, tl, slot, ValueRange{});
          if (type.isIndex())
            loaded = arith::IndexCastOp::create(tb, tl, index, loaded);
        }
        scf::YieldOp::create(tb, tl, loaded);
        OpBuilder eb = OpBuilder::atBlockEnd(choice.elseBlock());
        scf::YieldOp::create(eb, loc, init);
      }
      inits.push_back(choice.getResult(0));
    }
    // The iteration after the last one saved.
    Value originalLower = loop.getLowerBound();
    Value step = loop.getStep();
    Value next = arith::AddIOp::create(
        b, loc, arith::IndexCastOp::create(b, loc, index, last),
        arith::ConstantIndexOp::create(b, loc, 1));
    Value resumedLower = arith::AddIOp::create(
        b, loc, originalLower, arith::MulIOp::create(b, loc, next, step));
    Value lower =
        arith::SelectOp::create(b, loc, resuming, resumedLower, originalLower);
    // Slots to save scalars through, reused by every iteration.
    SmallVector<Value> slots;
    for (Type type : loop.getResultTypes())
      slots.push_back(
          llvm::isa<RankedTensorType>(type)
              ? Value()
              : (Value)memref::AllocaOp::create(b, loc, scalarSlotType(type)));
    loop.getLowerBoundMutable().assign(lower);
    loop.getInitArgsMutable().assign(inits);

    // At the end of each iteration: save what it yields.
    auto yield = llvm::cast<scf::YieldOp>(loop.getBody()->getTerminator());
    b.setInsertionPoint(yield);
    Value iteration = arith::IndexCastOp::create(
        b, loc, i64,
        arith::DivSIOp::create(b, loc,
                               arith::SubIOp::create(b, loc,
                                                     loop.getInductionVar(),
                                                     originalLower),
                               step));
    func::CallOp::create(b, loc,
                         declareRuntimeFunction(b, module,
                                                "sluice_rt_checkpoint_begin",
                                                b.getFunctionType({i64}, {})),
                         ValueRange{iteration});
    func::FuncOp addFn =
        declareRuntimeFunction(b, module, "sluice_rt_checkpoint_add",
                               b.getFunctionType({i64, index, i64, i64}, {}));
    for (auto [k, value] : llvm::enumerate(yield.getOperands())) {
      Type type = value.getType();
      Value address;
      if (auto tensor = llvm::dyn_cast<RankedTensorType>(type)) {
        Value buffer = bufferization::ToBufferOp::create(
            b, loc, MemRefType::get(tensor.getShape(), tensor.getElementType()),
            value, /*readOnly=*/true);
        address =
            memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
      } else {
        Value stored =
            type.isIndex()
                ? (Value)arith::IndexCastOp::create(b, loc, i64, value)
                : value;
        memref::StoreOp::create(b, loc, stored, slots[k], ValueRange{});
        address =
            memref::ExtractAlignedPointerAsIndexOp::create(b, loc, slots[k]);
      }
      func::CallOp::create(b, loc, addFn,
                           ValueRange{i64Constant(b, loc, k), address,
                                      elementCount(b, loc, value),
                                      i64Constant(b, loc, *dtypeCode(type))});
    }
    func::CallOp::create(b, loc,
                         declareRuntimeFunction(b, module,
                                                "sluice_rt_checkpoint_commit",
                                                b.getFunctionType({index}, {})),
                         ValueRange{where});
  }
};

} // namespace
