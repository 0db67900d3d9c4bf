//===- ExpandSortUnique.cpp - sort_unique as parallel loops ---------------===//
//
// Gather indices are row numbers, dense in [0, rows). Sorting and
// de-duplicating them is then ranking: set a bit per value present, count
// the bits before each word (a prefix sum of popcounts), and an id's rank is
// its word's plus the bits below it in the word. Every
// step is a parallel loop, which the CPU runs on its thread pool and the
// CUDA lowering turns into kernels, so the ids never leave the GPU to be
// sorted by one host thread.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/RuntimeCalls.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
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

/// The largest dense-range: scratch is 2 bits per value up to the largest
/// id, so at most 1 KiB per id.
constexpr int64_t kMaxDenseRange = 4096;

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

  /// Sets the first element of a one-element scratch `cell`. GPU scratch is
  /// written by a one-iteration kernel: a host store would move the cell's
  /// managed page to the host, and the next kernel's access back.
  void storeToCell(Value cell, function_ref<Value()> value) {
    if (!gpuScratch) {
      memref::StoreOp::create(b, value(), cell, index(0));
      return;
    }
    parallel(index(1), [&](Value) {
      memref::StoreOp::create(b, value(), cell, index(0));
    });
  }

  /// The first element of a one-element scratch `cell`, on the host. GPU
  /// scratch is read through a copy, which leaves its managed page where the
  /// kernels use it (a load would fault it over to the host).
  Value loadFromCell(Value cell) {
    if (!gpuScratch)
      return memref::LoadOp::create(b, cell, index(0));
    auto cellType = llvm::cast<MemRefType>(cell.getType());
    // The stack slot lives in a scope of its own: the sort may run in a
    // loop (a training step), where a bare alloca would grow the stack on
    // every iteration.
    auto scope =
        memref::AllocaScopeOp::create(b, TypeRange{cellType.getElementType()});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(b.createBlock(&scope.getBodyRegion()));
    Value host = memref::AllocaOp::create(
        b, MemRefType::get({1}, cellType.getElementType()));
    Value hostView = memref::CastOp::create(b, cellType, host);
    Type token = gpu::AsyncTokenType::get(b.getContext());
    Value ready = gpu::WaitOp::create(b, token, ValueRange()).getAsyncToken();
    Value copied =
        gpu::MemcpyOp::create(b, token, ValueRange{ready}, hostView, cell)
            .getAsyncToken();
    gpu::WaitOp::create(b, Type(), ValueRange{copied});
    memref::AllocaScopeReturnOp::create(
        b, ValueRange{memref::LoadOp::create(b, host, index(0))});
    return scope.getResult(0);
  }

  /// `value` (an integer or index) as `type`.
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

  // Bit counts as LLVM intrinsics, which every target lowers (popc and
  // brev + clz on NVPTX); math.ctpop has no CPU lowering in this pipeline.
  Value popCount(Value word) {
    return LLVM::CtPopOp::create(b, word.getType(), word);
  }
  Value lowestBit(Value word) {
    return LLVM::CountTrailingZerosOp::create(b, word.getType(), word,
                                              /*is_zero_poison=*/true);
  }

  /// A parallel loop over [0, count) whose body `body` builds at `b`.
  void parallel(Value count, function_ref<void(Value)> body) {
    auto loop = scf::ParallelOp::create(
        b, ValueRange{index(0)}, ValueRange{count}, ValueRange{index(1)});
    // Buffer-level CUDA converts only the loops marked for the GPU.
    if (gpuScratch)
      loop->setAttr("sluice.on_gpu", b.getUnitAttr());
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVars()[0]);
  }

  void expand(SortUniqueIntoOp op, int64_t denseRange) {
    Value indices = op.getIndices(), unique = op.getUnique(),
          inverse = op.getInverse();
    Type i64 = b.getI64Type();
    Type uniqueElement =
        llvm::cast<MemRefType>(unique.getType()).getElementType();
    Type inverseElement =
        llvm::cast<MemRefType>(inverse.getType()).getElementType();
    Value zero = index(0), one = index(1);
    Value count = memref::DimOp::create(b, indices, zero);
    auto valueAt = [&](Value position) {
      return cast(memref::LoadOp::create(b, indices, position), i64);
    };

    // The largest index, unsigned: a negative one counts as huge. Each of
    // ceil(count / kMaxRun) iterations takes the maximum of the ids
    // r, r + runs, r + 2 runs, ... (neighbouring GPU threads read
    // neighbouring ids) before its one atomic, so that threads do not
    // queue on the cell.
    Value largestCell = allocate(i64, one);
    storeToCell(largestCell,
                [&] { return arith::ConstantIntOp::create(b, i64, 0); });
    Value runs = arith::CeilDivUIOp::create(b, count, index(kMaxRun));
    parallel(runs, [&](Value r) {
      auto largestOfRun = scf::ForOp::create(
          b, r, count, runs,
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
    Value largest = loadFromCell(largestCell);
    release(largestCell);

    // Dense while the largest is below dense-range times the count (the
    // count bounded too, so that the product cannot overflow).
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
    // One bit per value up to the largest, in 64-bit words: cleared, then
    // set (atomically: ids in one word race).
    Value rows = arith::AddIOp::create(b, cast(largest, b.getIndexType()), one);
    Value c64 = index(64);
    Value words = arith::CeilDivUIOp::create(b, rows, c64);
    // The ranks are a prefix sum in about sqrt(words) chunks of about
    // sqrt(words) words, so that adding up the chunks before each one is
    // linear work too.
    Value root = math::SqrtOp::create(
        b, arith::UIToFPOp::create(b, b.getF64Type(), cast(words, i64)));
    Value chunk = arith::AddIOp::create(
        b, cast(arith::FPToUIOp::create(b, i64, root), b.getIndexType()), one);
    Value chunks = arith::CeilDivUIOp::create(b, words, chunk);
    // All scratch first: an allocation between two kernels would make the
    // host wait for the first (gpu.alloc is synchronous), where
    // sluice-chain-kernel-launches queues them back to back.
    Value bits = allocate(i64, words);
    Value sums = allocate(i64, chunks);
    Value offsets = allocate(i64, chunks);
    Value wordRanks = allocate(i64, words);
    Value distinctCell = gpuScratch ? allocate(i64, one) : Value();
    Value zero64 = arith::ConstantIntOp::create(b, i64, 0);
    Value one64 = arith::ConstantIntOp::create(b, i64, 1);
    Value sixtyThree = arith::ConstantIntOp::create(b, i64, 63);
    Value six = arith::ConstantIntOp::create(b, i64, 6);
    parallel(words,
             [&](Value w) { memref::StoreOp::create(b, zero64, bits, w); });
    // The word of an id and its bit in it.
    auto place = [&](Value id) {
      Value word = cast(arith::ShRUIOp::create(b, id, six), b.getIndexType());
      Value bit = arith::ShLIOp::create(
          b, one64, arith::AndIOp::create(b, id, sixtyThree));
      return std::make_pair(word, bit);
    };
    parallel(count, [&](Value i) {
      auto [word, bit] = place(valueAt(i));
      memref::AtomicRMWOp::create(b, arith::AtomicRMWKind::ori, bit, bits,
                                  ValueRange{word});
    });

    // Each word's rank (how many values the words before it hold), by a
    // prefix sum over the chunks.
    auto chunkRange = [&](Value c) {
      Value first = arith::MulIOp::create(b, c, chunk);
      Value end = arith::MinUIOp::create(
          b, arith::AddIOp::create(b, first, chunk), words);
      return std::make_pair(first, end);
    };
    auto bitsIn = [&](Value w) {
      return popCount(memref::LoadOp::create(b, bits, w));
    };
    parallel(chunks, [&](Value c) {
      auto [first, end] = chunkRange(c);
      auto sum = scf::ForOp::create(b, first, end, one, ValueRange{zero64});
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(sum.getBody());
        scf::YieldOp::create(
            b, ValueRange{arith::AddIOp::create(
                   b, sum.getRegionIterArg(0), bitsIn(sum.getInductionVar()))});
      }
      memref::StoreOp::create(b, sum.getResult(0), sums, c);
    });
    parallel(chunks, [&](Value c) {
      auto before = scf::ForOp::create(b, zero, c, one, ValueRange{zero64});
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(before.getBody());
        Value sum = memref::LoadOp::create(b, sums, before.getInductionVar());
        scf::YieldOp::create(b, ValueRange{arith::AddIOp::create(
                                    b, before.getRegionIterArg(0), sum)});
      }
      memref::StoreOp::create(b, before.getResult(0), offsets, c);
    });
    // Each chunk records its words' ranks. Only the ranks: writing the
    // values here too would leave each of these few (sqrt(words)) loops a
    // store per distinct id, thousands in sequence on a GPU thread.
    parallel(chunks, [&](Value c) {
      auto [first, end] = chunkRange(c);
      Value start = memref::LoadOp::create(b, offsets, c);
      auto rank = scf::ForOp::create(b, first, end, one, ValueRange{start});
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(rank.getBody());
        Value w = rank.getInductionVar(), next = rank.getRegionIterArg(0);
        memref::StoreOp::create(b, next, wordRanks, w);
        scf::YieldOp::create(
            b, ValueRange{arith::AddIOp::create(b, next, bitsIn(w))});
      }
    });
    // Each word writes its values from its rank on, lowest bit first, so
    // `unique` ascends.
    parallel(words, [&](Value w) {
      Value word = memref::LoadOp::create(b, bits, w);
      Value base = arith::ShLIOp::create(b, cast(w, i64), six);
      Value present = cast(popCount(word), b.getIndexType());
      Value start = memref::LoadOp::create(b, wordRanks, w);
      // One iteration per set bit: the lowest, then clear it.
      auto values =
          scf::ForOp::create(b, zero, present, one, ValueRange{word, start});
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(values.getBody());
      Value left = values.getRegionIterArg(0), at = values.getRegionIterArg(1);
      Value value = arith::OrIOp::create(b, base, lowestBit(left));
      memref::StoreOp::create(b, cast(value, uniqueElement), unique,
                              cast(at, b.getIndexType()));
      Value cleared =
          arith::AndIOp::create(b, left, arith::SubIOp::create(b, left, one64));
      scf::YieldOp::create(
          b, ValueRange{cleared, arith::AddIOp::create(b, at, one64)});
    });
    // An id's position: its word's rank plus the bits below it in the word.
    parallel(count, [&](Value i) {
      auto [word, bit] = place(valueAt(i));
      Value below =
          arith::AndIOp::create(b, memref::LoadOp::create(b, bits, word),
                                arith::SubIOp::create(b, bit, one64));
      Value position = arith::AddIOp::create(
          b, memref::LoadOp::create(b, wordRanks, word), popCount(below));
      memref::StoreOp::create(b, cast(position, inverseElement), inverse, i);
    });
    // How many distinct values: the last chunk's offset plus its sum.
    Value last = arith::SubIOp::create(b, chunks, one);
    auto lastOffsetPlusSum = [&]() -> Value {
      return arith::AddIOp::create(b, memref::LoadOp::create(b, offsets, last),
                                   memref::LoadOp::create(b, sums, last));
    };
    Value distinct;
    if (gpuScratch) {
      storeToCell(distinctCell, lastOffsetPlusSum);
      distinct = loadFromCell(distinctCell);
      release(distinctCell);
    } else {
      distinct = lastOffsetPlusSum();
    }
    for (Value buffer : {bits, sums, offsets, wordRanks})
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
    if (denseRange < 1 || denseRange > kMaxDenseRange) {
      getOperation().emitError("sluice-expand-sort-unique: dense-range must "
                               "be from 1 to ")
          << kMaxDenseRange << ", got " << static_cast<int64_t>(denseRange);
      return signalPassFailure();
    }
    SmallVector<SortUniqueIntoOp> sorts;
    getOperation().walk([&](SortUniqueIntoOp op) {
      // Anything else is reported by the op's lowering.
      if (hasSortableBuffers(op))
        sorts.push_back(op);
    });
    for (SortUniqueIntoOp op : sorts) {
      ImplicitLocOpBuilder b(op.getLoc(), op);
      Expander{b, gpuScratch}.expand(op, denseRange);
    }
  }
};

} // namespace
