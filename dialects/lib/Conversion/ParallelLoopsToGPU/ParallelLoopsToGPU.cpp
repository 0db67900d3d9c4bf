//===- ParallelLoopsToGPU.cpp - scf.parallel to grid-stride kernels -------===//
//
// Upstream's gpu-map-parallel-loops puts each dimension of a parallel loop
// that is not nested in another on the grid, one thread per block; tiling
// first would fix that per loop shape. Every loop here instead becomes one
// kind of kernel: blocks of 256 threads over the flattened iteration space
// with a grid-stride loop, innermost dimension fastest, so that neighbouring
// threads touch neighbouring elements whatever the loop's shape.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/Passes.h"
#include "sluice/Conversion/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/CallInterfaces.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_CONVERTPARALLELLOOPSTOGPU
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// Marks the loops `marked-only` converts.
constexpr llvm::StringLiteral kOnGpuAttrName = "sluice.on_gpu";

/// The runtime's reports that a kernel can defer (sluice_rt_kernel_error_slot
/// in runtime/include/sluice/Runtime/Program.h), by the kind the slot
/// records; 0 for any other function.
int64_t deferredKind(StringRef callee) {
  if (callee == "sluice_rt_label_error")
    return 1;
  if (callee == "sluice_rt_check_error")
    return 2;
  return 0;
}

/// The report `branch` makes, if it is a run-time check's: an `scf.if`
/// without results or else branch whose then branch only takes the
/// addresses of constant strings and calls a function a kernel can defer.
func::CallOp reportOf(Operation *op) {
  auto branch = llvm::dyn_cast<scf::IfOp>(op);
  if (!branch || branch.getNumResults() != 0 || !branch.getElseRegion().empty())
    return {};
  func::CallOp report;
  for (Operation &inner : branch.thenBlock()->without_terminator()) {
    if (auto call = llvm::dyn_cast<func::CallOp>(inner)) {
      if (report || !deferredKind(call.getCallee()))
        return {};
      report = call;
      continue;
    }
    if (!llvm::isa<memref::GetGlobalOp, memref::ExtractAlignedPointerAsIndexOp,
                   arith::ConstantOp>(inner))
      return {};
  }
  return report;
}

/// Whether every call in `loop` is a deferrable report directly in its body.
bool onlyDeferrableCalls(scf::ParallelOp loop) {
  return !loop.getRegion()
              .walk([&](CallOpInterface call) {
                auto branch = call->getParentOfType<scf::IfOp>();
                bool deferrable = branch &&
                                  branch->getBlock() == loop.getBody() &&
                                  reportOf(branch) == call.getOperation();
                return deferrable ? WalkResult::advance()
                                  : WalkResult::interrupt();
              })
              .wasInterrupted();
}

/// Turns the reports in `loop`'s body into records in the kernel error slot
/// (the first failing thread's, by compare-and-swap on word 0), moving what
/// follows each report into its else branch (on the host the report would
/// have stopped the program there: a bad label must not be read). The
/// strings' addresses move in front of the loop, which hands them to the
/// kernel as host addresses. Returns whether there was a report.
bool deferReports(scf::ParallelOp loop) {
  Block *block = loop.getBody();
  auto first = [&](Block *in) -> scf::IfOp {
    for (Operation &op : *in)
      if (reportOf(&op))
        return llvm::cast<scf::IfOp>(op);
    return {};
  };
  scf::IfOp branch = first(block);
  if (!branch)
    return false;
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  auto module = loop->getParentOfType<ModuleOp>();
  Value slot =
      func::CallOp::create(b, loc,
                           declareRuntimeFunction(
                               b, module, "sluice_rt_kernel_error_slot", 0, 1),
                           ValueRange{})
          .getResult(0);
  OpBuilder after(loop->getContext());
  after.setInsertionPointAfter(loop);
  func::CallOp::create(
      after, loc,
      declareRuntimeFunction(after, module, "sluice_rt_check_kernel_errors", 0),
      ValueRange{});
  Type i64 = b.getI64Type();
  auto pointerType = LLVM::LLVMPointerType::get(loop->getContext());
  while (branch) {
    func::CallOp report = reportOf(branch);
    for (Operation &op :
         llvm::make_early_inc_range(branch.thenBlock()->without_terminator()))
      if (&op != report.getOperation())
        op.moveBefore(loop);
    OpBuilder in(report);
    Location at = report.getLoc();
    auto toI64 = [&](OpBuilder &to, Value v) -> Value {
      if (v.getType().isIndex())
        return arith::IndexCastOp::create(to, at, i64, v);
      if (v.getType() != i64)
        return arith::ExtSIOp::create(to, at, i64, v);
      return v;
    };
    Value words =
        LLVM::IntToPtrOp::create(in, at, pointerType, toI64(in, slot));
    Value none = arith::ConstantIntOp::create(in, at, i64, 0);
    Value kind = arith::ConstantIntOp::create(in, at, i64,
                                              deferredKind(report.getCallee()));
    auto swap = LLVM::AtomicCmpXchgOp::create(in, at, words, none, kind,
                                              LLVM::AtomicOrdering::monotonic,
                                              LLVM::AtomicOrdering::monotonic);
    Value won = LLVM::ExtractValueOp::create(in, at, swap, 1);
    auto record = scf::IfOp::create(in, at, won, false);
    OpBuilder fields = record.getThenBodyBuilder();
    for (auto [i, argument] : llvm::enumerate(report.getOperands())) {
      Value word = LLVM::GEPOp::create(fields, at, pointerType, i64, words,
                                       ArrayRef<LLVM::GEPArg>{int32_t(i + 1)});
      LLVM::StoreOp::create(fields, at, toI64(fields, argument), word,
                            /*alignment=*/8);
    }
    report.erase();
    // What follows the check runs only where it passed.
    Operation *terminator = block->getTerminator();
    auto rest = std::next(branch->getIterator());
    if (rest == terminator->getIterator())
      break;
    Block *otherwise = new Block();
    branch.getElseRegion().push_back(otherwise);
    otherwise->getOperations().splice(otherwise->end(), block->getOperations(),
                                      rest, terminator->getIterator());
    OpBuilder end = OpBuilder::atBlockEnd(otherwise);
    scf::YieldOp::create(end, loc);
    block = otherwise;
    branch = first(block);
  }
  return true;
}

struct ConvertParallelLoopsToGPUPass
    : sluice::impl::ConvertParallelLoopsToGPUBase<
          ConvertParallelLoopsToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp loop) {
      if ((!markedOnly || loop->hasAttr(kOnGpuAttrName)) &&
          !loop->getParentOfType<scf::ParallelOp>() &&
          !loop->getParentOfType<gpu::LaunchOp>() &&
          !loop->getParentOfType<gpu::GPUModuleOp>() &&
          loop->getParentOfType<func::FuncOp>())
        loops.push_back(loop);
    });
    for (scf::ParallelOp loop : loops) {
      if (!loop.getInitVals().empty()) {
        loop.emitOpError("with reductions of its own cannot run on the GPU "
                         "yet; reductions are expected inside the body");
        return signalPassFailure();
      }
      // A loop whose only calls report failed run-time checks runs as a
      // kernel that records the report for the host to make.
      if (!allocates(loop) && onlyDeferrableCalls(loop))
        deferReports(loop);
      if (runsOnDevice(loop))
        launch(loop);
    }
  }

  static bool allocates(scf::ParallelOp loop) {
    return loop.getRegion()
        .walk([](Operation *op) {
          return llvm::isa<memref::AllocOp, memref::AllocaOp,
                           memref::DeallocOp>(op)
                     ? WalkResult::interrupt()
                     : WalkResult::advance();
        })
        .wasInterrupted();
  }

  /// Whether a kernel can run the loop: no calls (run-time checks' reports
  /// are deferred before this) and no allocation. Others stay on the host,
  /// on managed memory.
  static bool runsOnDevice(scf::ParallelOp loop) {
    return !loop.getRegion()
                .walk([](Operation *op) {
                  return llvm::isa<CallOpInterface, memref::AllocOp,
                                   memref::AllocaOp, memref::DeallocOp>(op)
                             ? WalkResult::interrupt()
                             : WalkResult::advance();
                })
                .wasInterrupted();
  }

  void launch(scf::ParallelOp loop) {
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    auto constant = [&](int64_t value) -> Value {
      return arith::ConstantIndexOp::create(b, loc, value);
    };
    Value zero = constant(0), one = constant(1);
    // Each dimension's trip count (none when negative) and their product.
    unsigned rank = loop.getNumLoops();
    SmallVector<Value> trips(rank);
    Value total = one;
    for (unsigned d = 0; d < rank; ++d) {
      Value span = arith::SubIOp::create(b, loc, loop.getUpperBound()[d],
                                         loop.getLowerBound()[d]);
      trips[d] = arith::MaxSIOp::create(
          b, loc, arith::CeilDivSIOp::create(b, loc, span, loop.getStep()[d]),
          zero);
      total = arith::MulIOp::create(b, loc, total, trips[d]);
    }
    // At least one block (a launch of none is an error), at most maxBlocks:
    // the grid-stride loop covers the rest.
    Value threads = constant(blockSize);
    Value blocks = arith::CeilDivSIOp::create(b, loc, total, threads);
    blocks = arith::MinSIOp::create(b, loc, blocks, constant(maxBlocks));
    blocks = arith::MaxSIOp::create(b, loc, blocks, one);
    auto kernel =
        gpu::LaunchOp::create(b, loc, blocks, one, one, threads, one, one);

    OpBuilder in = OpBuilder::atBlockBegin(&kernel.getBody().front());
    Value first = arith::AddIOp::create(
        in, loc,
        arith::MulIOp::create(in, loc, kernel.getBlockIds().x, threads),
        kernel.getThreadIds().x);
    Value stride =
        arith::MulIOp::create(in, loc, kernel.getGridSize().x, threads);
    auto strided = scf::ForOp::create(in, loc, first, total, stride);
    gpu::TerminatorOp::create(in, loc);

    // The flat position to one induction variable per dimension, the last
    // dimension fastest.
    OpBuilder body = OpBuilder::atBlockBegin(strided.getBody());
    IRMapping mapping;
    Value rest = strided.getInductionVar();
    for (int d = int(rank) - 1; d >= 0; --d) {
      // What is left for the first dimension is below its trip count.
      Value position =
          d == 0 ? rest
                 : (Value)arith::RemSIOp::create(body, loc, rest, trips[d]);
      if (d > 0)
        rest = arith::DivSIOp::create(body, loc, rest, trips[d]);
      Value iv = arith::AddIOp::create(
          body, loc, loop.getLowerBound()[d],
          arith::MulIOp::create(body, loc, position, loop.getStep()[d]));
      mapping.map(loop.getInductionVars()[d], iv);
    }
    for (Operation &op : loop.getBody()->without_terminator())
      body.clone(op, mapping);
    loop.erase();
  }
};

} // namespace
