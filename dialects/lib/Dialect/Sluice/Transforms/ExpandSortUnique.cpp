//===- ExpandSortUnique.cpp - sort_unique as parallel loops ---------------===//
//
// Gather indices are row numbers, dense in [0, rows). Sorting and
// de-duplicating them is then ranking: mark the values present in a table
// indexed by value, prefix-sum the marks, and read each index's rank. Every
// step is a parallel loop, which the CPU runs on its thread pool and the
// CUDA lowering turns into kernels, so the ids never leave the GPU to be
// sorted by one host thread.
//
//===----------------------------------------------------------------------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_EXPANDSORTUNIQUE
#include "sluice/Dialect/Sluice/Transforms/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// Whether the runtime's sort could take these buffers: contiguous, of i64
/// or index (anything else is reported by the op's lowering).
bool isExpandable(SortUniqueIntoOp op) {
  for (Value buffer : {op.getIndices(), op.getUnique(), op.getInverse()}) {
    auto type = llvm::cast<MemRefType>(buffer.getType());
    if (!type.getLayout().isIdentity() ||
        !(type.getElementType().isIndex() ||
          type.getElementType().isInteger(64)))
      return false;
  }
  return true;
}

/// Ids one iteration of the maximum's loop reads before its atomic.
constexpr int64_t kMaxRun = 64;

struct Expander {
  ImplicitLocOpBuilder &b;
  bool gpuScratch;

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, value);
  }

  /// A scratch buffer of `elementType`, of `size` elements.
  Value allocate(Type elementType, Value size) {
    auto type = MemRefType::get({ShapedType::kDynamic}, elementType);
    if (gpuScratch)
      return gpu::AllocOp::create(b, type, /*asyncToken=*/Type(), ValueRange(),
                                  ValueRange{size}, ValueRange(),
                                  /*hostShared=*/true)
          .getMemref();
    return memref::AllocOp::create(b, type, ValueRange{size});
  }

  void release(Value buffer) {
    if (gpuScratch) {
      // gpu-to-llvm lowers only the asynchronous form.
      Type token = gpu::AsyncTokenType::get(b.getContext());
      Value ready = gpu::WaitOp::create(b, token, ValueRange()).getAsyncToken();
      Value freed = gpu::DeallocOp::create(b, token, ValueRange{ready}, buffer)
                        .getAsyncToken();
      gpu::WaitOp::create(b, Type(), ValueRange{freed});
    } else
      memref::DeallocOp::create(b, buffer);
  }

  /// `value` (i64, index or i32) as `type`.
  Value cast(Value value, Type type) {
    Type from = value.getType();
    if (from == type)
      return value;
    if (from.isIndex() || type.isIndex())
      return arith::IndexCastUIOp::create(b, type, value);
    if (from.getIntOrFloatBitWidth() < type.getIntOrFloatBitWidth())
      return arith::ExtUIOp::create(b, type, value);
    return arith::TruncIOp::create(b, type, value);
  }

  /// A parallel loop over [0, count) whose body `body` builds at `b`.
  void parallel(Value count, function_ref<void(Value)> body) {
    auto loop = scf::ParallelOp::create(
        b, ValueRange{index(0)}, ValueRange{count}, ValueRange{index(1)});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVars()[0]);
  }

  void expand(SortUniqueIntoOp op, int64_t denseRange) {
    Value indices = op.getIndices(), unique = op.getUnique(),
          inverse = op.getInverse();
    Type i32 = b.getI32Type(), i64 = b.getI64Type();
    Type uniqueElement =
        llvm::cast<MemRefType>(unique.getType()).getElementType();
    Type inverseElement =
        llvm::cast<MemRefType>(inverse.getType()).getElementType();
    Value zero = index(0), one = index(1);
    Value count = memref::DimOp::create(b, indices, zero);
    auto valueAt = [&](Value position) {
      return cast(memref::LoadOp::create(b, indices, position), i64);
    };

    // The largest index, unsigned: a negative one counts as huge. Each
    // iteration takes the maximum of kMaxRun ids before its atomic, so that
    // threads do not queue on the one cell.
    Value largestCell = allocate(i64, one);
    memref::StoreOp::create(b, arith::ConstantIntOp::create(b, i64, 0),
                            largestCell, zero);
    Value run = index(kMaxRun);
    parallel(arith::CeilDivUIOp::create(b, count, run), [&](Value r) {
      Value first = arith::MulIOp::create(b, r, run);
      Value end = arith::MinUIOp::create(
          b, arith::AddIOp::create(b, first, run), count);
      auto largestOfRun = scf::ForOp::create(
          b, first, end, one,
          ValueRange{arith::ConstantIntOp::create(b, i64, 0)});
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(largestOfRun.getBody());
        scf::YieldOp::create(b, ValueRange{arith::MaxUIOp::create(
                                    b, largestOfRun.getRegionIterArg(0),
                                    valueAt(largestOfRun.getInductionVar()))});
      }
      memref::AtomicRMWOp::create(b, arith::AtomicRMWKind::maxu,
                                  largestOfRun.getResult(0), largestCell,
                                  ValueRange{zero});
    });
    Value largest = memref::LoadOp::create(b, largestCell, zero);
    release(largestCell);

    // Ranks are i32: dense only while every value's table entry is small
    // and the count fits.
    Value count64 = cast(count, i64);
    Value limit = arith::MulIOp::create(
        b, count64, arith::ConstantIntOp::create(b, i64, denseRange));
    Value dense = arith::AndIOp::create(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::ult, largest, limit),
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, count64,
                              arith::ConstantIntOp::create(b, i64, 1ll << 31)));
    auto branch = scf::IfOp::create(b, b.getIndexType(), dense,
                                    /*withElseRegion=*/true);

    // Too sparse for a table: the runtime's sort.
    b.setInsertionPointToStart(branch.elseBlock());
    Operation *sparse = b.clone(*op);
    scf::YieldOp::create(b, sparse->getResults());

    b.setInsertionPointToStart(branch.thenBlock());
    Value rows = arith::AddIOp::create(b, cast(largest, b.getIndexType()), one);
    Value ranks = allocate(i32, rows);
    Value zero32 = arith::ConstantIntOp::create(b, i32, 0);
    Value one32 = arith::ConstantIntOp::create(b, i32, 1);
    parallel(rows,
             [&](Value v) { memref::StoreOp::create(b, zero32, ranks, v); });
    // Every index writes the same 1: racing stores agree.
    parallel(count, [&](Value i) {
      memref::StoreOp::create(b, one32, ranks,
                              cast(valueAt(i), b.getIndexType()));
    });

    // The prefix sum in about sqrt(rows) chunks of about sqrt(rows), so that
    // adding up the chunks before each one is linear work too.
    Value root = math::SqrtOp::create(
        b, arith::UIToFPOp::create(b, b.getF64Type(), cast(rows, i64)));
    Value chunk = arith::AddIOp::create(
        b, cast(arith::FPToUIOp::create(b, i64, root), b.getIndexType()), one);
    Value chunks = arith::CeilDivUIOp::create(b, rows, chunk);
    auto chunkRange = [&](Value c) {
      Value first = arith::MulIOp::create(b, c, chunk);
      Value end = arith::MinUIOp::create(
          b, arith::AddIOp::create(b, first, chunk), rows);
      return std::make_pair(first, end);
    };
    Value sums = allocate(i64, chunks);
    parallel(chunks, [&](Value c) {
      auto [first, end] = chunkRange(c);
      auto sum = scf::ForOp::create(
          b, first, end, one,
          ValueRange{arith::ConstantIntOp::create(b, i64, 0)});
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(sum.getBody());
        Value mark =
            cast(memref::LoadOp::create(b, ranks, sum.getInductionVar()), i64);
        scf::YieldOp::create(b, ValueRange{arith::AddIOp::create(
                                    b, sum.getRegionIterArg(0), mark)});
      }
      memref::StoreOp::create(b, sum.getResult(0), sums, c);
    });
    Value offsets = allocate(i64, chunks);
    parallel(chunks, [&](Value c) {
      auto before = scf::ForOp::create(
          b, zero, c, one, ValueRange{arith::ConstantIntOp::create(b, i64, 0)});
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(before.getBody());
        Value sum = memref::LoadOp::create(b, sums, before.getInductionVar());
        scf::YieldOp::create(b, ValueRange{arith::AddIOp::create(
                                    b, before.getRegionIterArg(0), sum)});
      }
      memref::StoreOp::create(b, before.getResult(0), offsets, c);
    });
    // Each chunk ranks its present values from its offset and writes them,
    // ascending, to `unique`.
    parallel(chunks, [&](Value c) {
      auto [first, end] = chunkRange(c);
      Value start = cast(memref::LoadOp::create(b, offsets, c), i32);
      auto rank = scf::ForOp::create(b, first, end, one, ValueRange{start});
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(rank.getBody());
        Value v = rank.getInductionVar(), next = rank.getRegionIterArg(0);
        Value present =
            arith::CmpIOp::create(b, arith::CmpIPredicate::ne,
                                  memref::LoadOp::create(b, ranks, v), zero32);
        auto store = scf::IfOp::create(b, present, /*withElseRegion=*/false);
        {
          OpBuilder::InsertionGuard inner(b);
          b.setInsertionPointToStart(store.thenBlock());
          memref::StoreOp::create(b, next, ranks, v);
          memref::StoreOp::create(b, cast(v, uniqueElement), unique,
                                  cast(next, b.getIndexType()));
        }
        scf::YieldOp::create(
            b, ValueRange{arith::AddIOp::create(
                   b, next, arith::ExtUIOp::create(b, i32, present))});
      }
    });
    parallel(count, [&](Value i) {
      Value rank =
          memref::LoadOp::create(b, ranks, cast(valueAt(i), b.getIndexType()));
      memref::StoreOp::create(b, cast(rank, inverseElement), inverse, i);
    });
    Value last = arith::SubIOp::create(b, chunks, one);
    Value distinct =
        arith::AddIOp::create(b, memref::LoadOp::create(b, offsets, last),
                              memref::LoadOp::create(b, sums, last));
    for (Value buffer : {ranks, sums, offsets})
      release(buffer);
    scf::YieldOp::create(b, cast(distinct, b.getIndexType()));

    op.getCount().replaceAllUsesWith(branch.getResult(0));
    op.erase();
  }
};

struct ExpandSortUniquePass
    : sluice::impl::ExpandSortUniqueBase<ExpandSortUniquePass> {
  using Base::Base;

  void runOnOperation() override {
    if (denseRange < 1) {
      getOperation().emitError("sluice-expand-sort-unique: dense-range must "
                               "be at least 1, got ")
          << static_cast<int64_t>(denseRange);
      return signalPassFailure();
    }
    SmallVector<SortUniqueIntoOp> sorts;
    getOperation().walk([&](SortUniqueIntoOp op) {
      if (isExpandable(op))
        sorts.push_back(op);
    });
    for (SortUniqueIntoOp op : sorts) {
      ImplicitLocOpBuilder b(op.getLoc(), op);
      Expander{b, gpuScratch}.expand(op, denseRange);
    }
  }
};

} // namespace
