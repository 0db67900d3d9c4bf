//===- SluiceToGPU.cpp - sluice to gpu.launch kernels ---------------------===//
//
// Lowers buffer-level gathers to element-parallel GPU kernels with the PCIe
// alignment mappings of PyTorch-Direct (rotation) and DGL (shift). The
// address arithmetic works on the buffers' aligned base pointers, which the
// runtime allocates (cuMemAlloc: 256 B) or requires (host tables: page
// aligned) to be request-aligned.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/SluiceToGPU/SluiceToGPU.h"
#include "sluice/Conversion/Passes.h"
#include "sluice/Conversion/RuntimeCalls.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <limits>

namespace mlir::sluice {
#define GEN_PASS_DEF_CONVERTSLUICETOGPU
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// Index arithmetic with less noise.
struct IndexMath {
  OpBuilder &b;
  Location loc;

  Value constant(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value divu(Value x, Value y) { return arith::DivUIOp::create(b, loc, x, y); }
  Value remu(Value x, Value y) { return arith::RemUIOp::create(b, loc, x, y); }
  Value rems(Value x, Value y) { return arith::RemSIOp::create(b, loc, x, y); }
  Value divs(Value x, Value y) { return arith::DivSIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinUIOp::create(b, loc, x, y); }
  Value max(Value x, Value y) { return arith::MaxUIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate predicate, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, predicate, x, y);
  }
  Value select(Value condition, Value x, Value y) {
    return arith::SelectOp::create(b, loc, condition, x, y);
  }
  Value ceilDiv(Value x, Value y) {
    return divu(add(x, sub(y, constant(1))), y);
  }
};

/// Views a row-major buffer as [rows, columns]: rank-1 buffers get a column
/// dimension of 1, higher ranks fold the row shape into one dimension.
Value asMatrix(OpBuilder &b, Location loc, Value buffer) {
  auto type = llvm::cast<MemRefType>(buffer.getType());
  if (type.getRank() == 2)
    return buffer;
  if (type.getRank() > 2) {
    SmallVector<ReassociationIndices> groups = {{0}, {}};
    for (int64_t dim = 1; dim < type.getRank(); ++dim)
      groups[1].push_back(dim);
    return memref::CollapseShapeOp::create(b, loc, buffer, groups);
  }
  SmallVector<OpFoldResult> shape = {memref::getMixedSize(b, loc, buffer, 0),
                                     b.getIndexAttr(1)};
  auto matrixType =
      MemRefType::get({type.getDimSize(0), 1}, type.getElementType());
  return memref::ExpandShapeOp::create(b, loc, matrixType, buffer,
                                       ArrayRef<ReassociationIndices>{{0, 1}},
                                       shape);
}

Value loadIndex(OpBuilder &b, Location loc, Value indices, Value position) {
  Value index = memref::LoadOp::create(b, loc, indices, position);
  if (!index.getType().isIndex())
    index = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  return index;
}

/// Copies `width` consecutive elements from `source[row, column]` to
/// `dest[outRow, column]`, as one vector access when `width > 1` (the caller
/// guarantees `width * elementBytes` alignment, so NVPTX emits ld.v2/ld.v4).
void copyUnit(OpBuilder &b, Location loc, Value source, Value row, Value dest,
              Value outRow, Value column, int64_t width, int64_t elementBytes) {
  Type elementType = llvm::cast<MemRefType>(source.getType()).getElementType();
  if (width == 1) {
    Value element =
        memref::LoadOp::create(b, loc, source, ValueRange{row, column});
    memref::StoreOp::create(b, loc, element, dest, ValueRange{outRow, column});
    return;
  }
  auto vectorType = VectorType::get({width}, elementType);
  auto load = vector::LoadOp::create(b, loc, vectorType, source,
                                     ValueRange{row, column});
  load.setAlignment(width * elementBytes);
  auto store =
      vector::StoreOp::create(b, loc, load, dest, ValueRange{outRow, column});
  store.setAlignment(width * elementBytes);
}

/// The widest vector (in elements, a power of two of at most 16 bytes) whose
/// size divides `rowBytes`, so every row start stays vector-aligned.
int64_t vectorWidth(int64_t rowBytes, int64_t elementBytes) {
  int64_t width = std::max<int64_t>(1, 16 / elementBytes);
  while (width > 1 && rowBytes % (width * elementBytes) != 0)
    width /= 2;
  return width;
}

/// Builds `then` and `otherwise` under `scf.if` of `condition`.
void ifThenElse(OpBuilder &b, Location loc, Value condition,
                function_ref<void(OpBuilder &)> then,
                function_ref<void(OpBuilder &)> otherwise) {
  auto ifOp = scf::IfOp::create(b, loc, condition, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  then(b);
  b.setInsertionPointToStart(ifOp.elseBlock());
  otherwise(b);
}

/// Builds `body` under `scf.if` of `condition`.
void ifThen(OpBuilder &b, Location loc, Value condition,
            function_ref<void(OpBuilder &)> body) {
  auto ifOp = scf::IfOp::create(b, loc, condition, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  body(b);
}

struct MakeTableLowering : OpConversionPattern<MakeTableOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MakeTableOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto table = llvm::cast<TableType>(op.getTable().getType());
    Value buffer = adaptor.getBuffer();
    auto bufferType = llvm::cast<MemRefType>(buffer.getType());
    switch (table.getPlacement()) {
    case Placement::HostZeroCopy: {
      Value unranked = memref::CastOp::create(
          rewriter, loc,
          UnrankedMemRefType::get(bufferType.getElementType(), 0), buffer);
      gpu::HostRegisterOp::create(rewriter, loc, unranked);
      rewriter.replaceOp(op, buffer);
      return success();
    }
    case Placement::Device: {
      SmallVector<Value> dynamicSizes;
      for (int64_t dim = 0; dim < bufferType.getRank(); ++dim)
        if (bufferType.isDynamicDim(dim))
          dynamicSizes.push_back(
              memref::DimOp::create(rewriter, loc, buffer, dim));
      // gpu-to-llvm lowers only the asynchronous forms of alloc and memcpy:
      // issue them on a stream of their own and wait for the copy.
      Type tokenType = gpu::AsyncTokenType::get(rewriter.getContext());
      Value stream = gpu::WaitOp::create(rewriter, loc, tokenType, ValueRange{})
                         .getAsyncToken();
      auto alloc =
          gpu::AllocOp::create(rewriter, loc, bufferType, tokenType,
                               ValueRange{stream}, dynamicSizes, ValueRange{});
      Value copied = gpu::MemcpyOp::create(rewriter, loc, tokenType,
                                           ValueRange{alloc.getAsyncToken()},
                                           alloc.getMemref(), buffer)
                         .getAsyncToken();
      gpu::WaitOp::create(rewriter, loc, Type(), ValueRange{copied});
      rewriter.replaceOp(op, alloc.getMemref());
      return success();
    }
    case Placement::HostStaged:
      // Read by CPU threads from ordinary host memory.
      rewriter.replaceOp(op, buffer);
      return success();
    case Placement::Auto:
      return rewriter.notifyMatchFailure(op, "placement not decided");
    }
    return failure();
  }
};

/// The values a gather kernel reads, all defined on the host side of the
/// launch (outlining passes them to the kernel).
struct GatherOperands {
  Value source, dest, indices;
  Value numIndices, numRows, numColumns, rowBytes;
  Value sourceBase, destBase; // aligned base addresses, for alignment math
  Value errorSlot, where;     // where a bad index is recorded, and the op
  int64_t elementBytes;
  AlignmentAttr alignment;
  bool staticRowBytes;
};

struct GatherIntoLowering : OpConversionPattern<GatherIntoOp> {
  GatherIntoLowering(const TypeConverter &converter, MLIRContext *context,
                     int64_t maxThreads, int64_t blockSize)
      : OpConversionPattern(converter, context), maxThreads(maxThreads),
        blockSize(blockSize) {}

  LogicalResult
  matchAndRewrite(GatherIntoOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto table = op.getSourceTable();
    Type elementType = table.getElementType();
    if (elementType.getIntOrFloatBitWidth() % 8 != 0)
      return rewriter.notifyMatchFailure(op, "sub-byte elements");

    if (table.getPlacement() == Placement::HostStaged)
      return lowerStaged(op, adaptor, rewriter);

    IndexMath m{rewriter, loc};
    GatherOperands g;
    g.elementBytes = elementType.getIntOrFloatBitWidth() / 8;
    g.alignment = op.getAlignmentAttr();
    g.staticRowBytes = table.getRowBytes().has_value();
    g.source = asMatrix(rewriter, loc, adaptor.getSource());
    g.dest = asMatrix(rewriter, loc, adaptor.getDest());
    g.indices = adaptor.getIndices();
    g.numIndices = memref::DimOp::create(rewriter, loc, g.indices, 0);
    g.numRows = memref::DimOp::create(rewriter, loc, g.source, 0);
    g.numColumns = memref::DimOp::create(rewriter, loc, g.source, 1);
    g.rowBytes = m.mul(g.numColumns, m.constant(g.elementBytes));
    g.sourceBase =
        memref::ExtractAlignedPointerAsIndexOp::create(rewriter, loc, g.source);
    g.destBase =
        memref::ExtractAlignedPointerAsIndexOp::create(rewriter, loc, g.dest);
    auto module = op->getParentOfType<ModuleOp>();
    g.errorSlot = func::CallOp::create(rewriter, loc,
                                       declareRuntimeFunction(
                                           rewriter, module,
                                           "sluice_rt_gather_error_slot", 0, 1),
                                       ValueRange{})
                      .getResult(0);
    g.where = locationString(rewriter, module, loc);

    // Vector width: fixed when the row size is static; otherwise the widest
    // one, chosen at run time when the row size allows it, else scalars.
    int64_t widest = std::max<int64_t>(1, 16 / g.elementBytes);
    int64_t width = g.staticRowBytes
                        ? vectorWidth(*table.getRowBytes(), g.elementBytes)
                        : widest;
    Value vectorizable;
    if (!g.staticRowBytes && widest > 1)
      vectorizable =
          m.cmp(arith::CmpIPredicate::eq,
                m.remu(g.rowBytes, m.constant(widest * g.elementBytes)),
                m.constant(0));

    bool shift =
        g.alignment && g.alignment.getStrategy() == AlignStrategy::Shift;
    Value one = m.constant(1);
    Value units = m.divu(g.numColumns, m.constant(width));
    if (vectorizable)
      units = m.select(vectorizable, units, g.numColumns);
    int64_t threadsPerBlock = shift ? 32 * 8 : blockSize;
    Value work = shift ? g.numIndices : m.mul(g.numIndices, units);
    Value workPerBlock = m.constant(shift ? 8 : blockSize);
    // The thread cap keeps a zero-copy gather from crowding out training
    // kernels; a device-resident gather has no link to share.
    int64_t cap = table.getPlacement() == Placement::HostZeroCopy
                      ? std::max<int64_t>(1, maxThreads / threadsPerBlock)
                      : std::numeric_limits<int32_t>::max();
    Value blocks =
        m.max(m.min(m.ceilDiv(work, workPerBlock), m.constant(cap)), one);

    Type tokenType = op.getAsyncToken()
                         ? gpu::AsyncTokenType::get(rewriter.getContext())
                         : Type();
    // `adaptor.getStream()` is the stream's !llvm.ptr.
    SmallVector<Value> dependencies(adaptor.getAsyncDependencies());
    if (Value stream = adaptor.getStream()) {
      // gpu-to-llvm enqueues a launch on the stream its first dependency
      // lowers to: hand it ours.
      tokenType = gpu::AsyncTokenType::get(rewriter.getContext());
      dependencies.push_back(
          UnrealizedConversionCastOp::create(rewriter, loc, tokenType, stream)
              .getResult(0));
    }
    auto launch = gpu::LaunchOp::create(
        rewriter, loc, blocks, one, one, m.constant(shift ? 32 : blockSize),
        m.constant(shift ? 8 : 1), one, /*dynamicSharedMemorySize=*/nullptr,
        tokenType, dependencies);

    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&launch.getBody().front());
      auto build = [&](OpBuilder &b, int64_t w) {
        if (shift)
          buildShiftKernel(b, loc, launch, g, w);
        else
          buildFlatKernel(b, loc, launch, g, w);
      };
      if (vectorizable) {
        auto choice = scf::IfOp::create(rewriter, loc, vectorizable,
                                        /*withElseRegion=*/true);
        OpBuilder thenBuilder = choice.getThenBodyBuilder();
        build(thenBuilder, width);
        OpBuilder elseBuilder = choice.getElseBodyBuilder();
        build(elseBuilder, 1);
      } else {
        build(rewriter, width);
      }
      gpu::TerminatorOp::create(rewriter, loc);
    }

    if (op.getAsyncToken()) {
      rewriter.replaceOp(op, launch.getAsyncToken());
    } else {
      // The launch has finished (or, on a stream, stream_sync checks).
      if (!op.getStream())
        func::CallOp::create(
            rewriter, loc,
            declareRuntimeFunction(rewriter, module,
                                   "sluice_rt_check_gather_errors", 0),
            ValueRange{});
      rewriter.eraseOp(op);
    }
    return success();
  }

  /// Records a bad index in the error slot (see GatherErrors.cpp in the
  /// runtime): position + 1, the index, the table's rows, the location.
  static void recordBadIndex(OpBuilder &b, Location loc,
                             const GatherOperands &g, Value position,
                             Value row) {
    Type i64 = b.getI64Type();
    auto toI64 = [&](Value index) -> Value {
      return arith::IndexCastOp::create(b, loc, i64, index);
    };
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    Value slot = LLVM::IntToPtrOp::create(b, loc, ptrType, toI64(g.errorSlot));
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value fields[] = {toI64(arith::AddIOp::create(b, loc, position, one)),
                      toI64(row), toI64(g.numRows), toI64(g.where)};
    for (auto [i, value] : llvm::enumerate(fields)) {
      Value address = LLVM::GEPOp::create(b, loc, ptrType, i64, slot,
                                          ArrayRef<LLVM::GEPArg>{int32_t(i)});
      LLVM::StoreOp::create(b, loc, value, address, /*alignment=*/8);
    }
  }

  /// The staged path: a runtime call that gathers on the CPU into a pinned
  /// buffer and copies it to the destination.
  static LogicalResult lowerStaged(GatherIntoOp op, OpAdaptor adaptor,
                                   ConversionPatternRewriter &rewriter) {
    replaceWithRuntimeGather(rewriter, op, "sluice_rt_staged_gather",
                             adaptor.getSource(), adaptor.getIndices(),
                             adaptor.getDest());
    return success();
  }

  static Value inRange(OpBuilder &b, Location loc, const GatherOperands &g,
                       Value row) {
    IndexMath k{b, loc};
    return arith::AndIOp::create(
        b, loc, k.cmp(arith::CmpIPredicate::sge, row, k.constant(0)),
        k.cmp(arith::CmpIPredicate::slt, row, g.numRows));
  }

  /// Threads over the flattened output in units of `width` elements, with a
  /// grid-stride loop, optionally with rotation.
  static void buildFlatKernel(OpBuilder &b, Location loc, gpu::LaunchOp launch,
                              const GatherOperands &g, int64_t width) {
    IndexMath k{b, loc};
    Value units = k.divu(g.numColumns, k.constant(width));
    Value first = k.add(k.mul(launch.getBlockIds().x, launch.getBlockSize().x),
                        launch.getThreadIds().x);
    Value stride = k.mul(launch.getGridSize().x, launch.getBlockSize().x);
    auto loop =
        scf::ForOp::create(b, loc, first, k.mul(g.numIndices, units), stride);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value position = loop.getInductionVar();
    Value outRow = k.divu(position, units);
    Value unit = k.remu(position, units);
    Value row = loadIndex(b, loc, g.indices, outRow);
    ifThenElse(
        b, loc, inRange(b, loc, g, row),
        [&](OpBuilder &b) {
          IndexMath k{b, loc};
          Value copyUnitIndex = unit;
          if (g.alignment) {
            Value request = k.constant(g.alignment.getBytes());
            Value outAddress = k.add(g.destBase, k.mul(outRow, g.rowBytes));
            Value inAddress = k.add(g.sourceBase, k.mul(row, g.rowBytes));
            // Both row addresses are multiples of the unit size, so the byte
            // difference modulo the request size is a whole number of units.
            Value diff = k.divs(k.rems(k.sub(outAddress, inAddress), request),
                                k.constant(width * g.elementBytes));
            Value rotated = k.add(unit, diff);
            rotated = k.select(k.cmp(arith::CmpIPredicate::sge, rotated, units),
                               k.sub(rotated, units), rotated);
            rotated = k.select(
                k.cmp(arith::CmpIPredicate::slt, rotated, k.constant(0)),
                k.add(rotated, units), rotated);
            // With a static row size the canonicalizer has already dropped a
            // useless rotation; otherwise decide at run time.
            if (!g.staticRowBytes) {
              Value useful = arith::AndIOp::create(
                  b, loc, k.cmp(arith::CmpIPredicate::ugt, g.rowBytes, request),
                  k.cmp(arith::CmpIPredicate::ne, k.remu(g.rowBytes, request),
                        k.constant(0)));
              rotated = k.select(useful, rotated, unit);
            }
            copyUnitIndex = rotated;
          }
          copyUnit(b, loc, g.source, row, g.dest, outRow,
                   k.mul(copyUnitIndex, k.constant(width)), width,
                   g.elementBytes);
        },
        [&](OpBuilder &b) { recordBadIndex(b, loc, g, outRow, row); });
  }

  /// A warp per row; lanes start `shift` units early so that every read
  /// begins on a request boundary.
  static void buildShiftKernel(OpBuilder &b, Location loc, gpu::LaunchOp launch,
                               const GatherOperands &g, int64_t width) {
    IndexMath k{b, loc};
    Value units = k.divu(g.numColumns, k.constant(width));
    Value first = k.add(k.mul(launch.getBlockIds().x, launch.getBlockSize().y),
                        launch.getThreadIds().y);
    Value stride = k.mul(launch.getGridSize().x, launch.getBlockSize().y);
    auto rows = scf::ForOp::create(b, loc, first, g.numIndices, stride);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rows.getBody());
    Value outRow = rows.getInductionVar();
    Value row = loadIndex(b, loc, g.indices, outRow);
    ifThenElse(
        b, loc, inRange(b, loc, g, row),
        [&](OpBuilder &b) {
          IndexMath k{b, loc};
          Value request = k.constant(g.alignment.getBytes());
          Value inAddress = k.add(g.sourceBase, k.mul(row, g.rowBytes));
          Value shiftUnits = k.divu(k.remu(inAddress, request),
                                    k.constant(width * g.elementBytes));
          Value start = k.sub(launch.getThreadIds().x, shiftUnits);
          auto columns =
              scf::ForOp::create(b, loc, start, units, launch.getBlockSize().x);
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(columns.getBody());
          Value unit = columns.getInductionVar();
          ifThen(b, loc, k.cmp(arith::CmpIPredicate::sge, unit, k.constant(0)),
                 [&](OpBuilder &b) {
                   IndexMath k{b, loc};
                   copyUnit(b, loc, g.source, row, g.dest, outRow,
                            k.mul(unit, k.constant(width)), width,
                            g.elementBytes);
                 });
        },
        [&](OpBuilder &b) { recordBadIndex(b, loc, g, outRow, row); });
  }

  int64_t maxThreads;
  int64_t blockSize;
};

/// Stream ops become calls into libsluice_rt (thin wrappers of the CUDA
/// stream calls behind the mgpu* ABI).
template <typename StreamOp>
struct StreamOpToCall : OpConversionPattern<StreamOp> {
  StreamOpToCall(const TypeConverter &converter, MLIRContext *context,
                 StringRef callee)
      : OpConversionPattern<StreamOp>(converter, context), callee(callee) {}

  LogicalResult
  matchAndRewrite(StreamOp op,
                  typename OpConversionPattern<StreamOp>::OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto module = op->template getParentOfType<ModuleOp>();
    auto ptr = LLVM::LLVMPointerType::get(rewriter.getContext());
    bool creates = op->getNumResults() == 1;
    auto type =
        creates ? LLVM::LLVMFunctionType::get(ptr, {})
                : LLVM::LLVMFunctionType::get(
                      LLVM::LLVMVoidType::get(rewriter.getContext()), {ptr});
    auto function = module.template lookupSymbol<LLVM::LLVMFuncOp>(callee);
    if (!function) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(module.getBody());
      function = LLVM::LLVMFuncOp::create(rewriter, op.getLoc(), callee, type);
    }
    auto call = LLVM::CallOp::create(rewriter, op.getLoc(), function,
                                     adaptor.getOperands());
    rewriter.replaceOp(op, call->getResults());
    return success();
  }

  std::string callee;
};

/// The staged path is a synchronous runtime call over contiguous buffers.
LogicalResult checkStaged(GatherIntoOp op) {
  if (op.getSourceTable().getPlacement() != Placement::HostStaged)
    return success();
  return checkRuntimeGather(op, "a staged gather");
}

struct ConvertSluiceToGPUPass
    : sluice::impl::ConvertSluiceToGPUBase<ConvertSluiceToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize < 32 || blockSize > 1024 || blockSize % 32 != 0) {
      getOperation().emitError("block-size must be a multiple of 32 between "
                               "32 and 1024, but got ")
          << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    if (maxThreads < 1) {
      getOperation().emitError("max-threads must be at least 1, but got ")
          << static_cast<int64_t>(maxThreads);
      return signalPassFailure();
    }

    if (failed(rejectFrontEndOps(getOperation())))
      return signalPassFailure();

    // Placement must be decided before kernels can be chosen.
    WalkResult undecided = getOperation().walk([](Operation *op) {
      if (failed(checkSortUniqueInto(op)))
        return WalkResult::interrupt();
      if (llvm::isa<SluiceDialect>(op->getDialect()) &&
          !llvm::isa<MakeTableOp, GatherIntoOp, SortUniqueIntoOp,
                     StreamCreateOp, StreamSyncOp, StreamDestroyOp>(op)) {
        op->emitOpError("has no lowering to the GPU yet");
        return WalkResult::interrupt();
      }
      for (Type type : op->getResultTypes())
        if (auto table = llvm::dyn_cast<TableType>(type))
          if (table.getPlacement() == Placement::Auto) {
            op->emitError("cannot lower table ")
                << table
                << " to the GPU: its placement is not decided (run "
                   "sluice-place-tables, or give one)";
            return WalkResult::interrupt();
          }
      if (auto gather = llvm::dyn_cast<GatherIntoOp>(op)) {
        if (gather.getSourceTable().getElementType().getIntOrFloatBitWidth() %
                8 !=
            0) {
          // Rows are copied as bytes (and vectors of them).
          gather.emitOpError("the CUDA lowering needs byte-sized elements");
          return WalkResult::interrupt();
        }
        if (failed(checkStaged(gather)))
          return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (undecided.wasInterrupted())
      return signalPassFailure();

    MLIRContext *context = &getContext();
    TableTypeConverter converter;
    converter.addConversion([](StreamType type) -> Type {
      return LLVM::LLVMPointerType::get(type.getContext());
    });
    RewritePatternSet patterns(context);
    populateSluiceToGPUPatterns(converter, patterns, maxThreads, blockSize);
    // Indices are sorted on the host, in host-accessible (managed) memory.
    populateSortUniqueIntoPattern(converter, patterns);
    ConversionTarget target(*context);
    populateTableSignatureConversion(converter, patterns, target);
    target.addIllegalDialect<SluiceDialect>();
    target.addLegalDialect<arith::ArithDialect, func::FuncDialect,
                           gpu::GPUDialect, LLVM::LLVMDialect,
                           memref::MemRefDialect, scf::SCFDialect,
                           vector::VectorDialect>();
    target.addLegalOp<UnrealizedConversionCastOp>();
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::sluice::populateSluiceToGPUPatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns,
                                               int64_t maxThreads,
                                               int64_t blockSize) {
  patterns.add<MakeTableLowering>(converter, patterns.getContext());
  patterns.add<GatherIntoLowering>(converter, patterns.getContext(), maxThreads,
                                   blockSize);
  patterns.add<StreamOpToCall<StreamCreateOp>>(converter, patterns.getContext(),
                                               "sluice_rt_stream_create");
  patterns.add<StreamOpToCall<StreamSyncOp>>(converter, patterns.getContext(),
                                             "sluice_rt_stream_sync");
  patterns.add<StreamOpToCall<StreamDestroyOp>>(
      converter, patterns.getContext(), "sluice_rt_stream_destroy");
}
