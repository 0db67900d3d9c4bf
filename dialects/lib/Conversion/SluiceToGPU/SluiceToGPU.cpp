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
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_CONVERTSLUICETOGPU
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

TableTypeConverter::TableTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](TableType table) -> Type {
    return MemRefType::get(table.getShape(), table.getElementType());
  });
  auto materialize = [](OpBuilder &builder, Type type, ValueRange inputs,
                        Location loc) -> Value {
    return UnrealizedConversionCastOp::create(builder, loc, type, inputs)
        .getResult(0);
  };
  addSourceMaterialization(materialize);
  addTargetMaterialization(materialize);
}

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
  auto matrixType = MemRefType::get({type.getDimSize(0), 1},
                                    type.getElementType());
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

/// Copies `source[row, column]` to `dest[outRow, column]`.
void copyElement(OpBuilder &b, Location loc, Value source, Value row,
                 Value dest, Value outRow, Value column) {
  Value element = memref::LoadOp::create(b, loc, source, ValueRange{row, column});
  memref::StoreOp::create(b, loc, element, dest, ValueRange{outRow, column});
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
          dynamicSizes.push_back(memref::DimOp::create(rewriter, loc, buffer, dim));
      auto alloc = gpu::AllocOp::create(rewriter, loc, bufferType,
                                        /*asyncToken=*/Type(), ValueRange{},
                                        dynamicSizes, ValueRange{});
      gpu::MemcpyOp::create(rewriter, loc, TypeRange{}, ValueRange{},
                            alloc.getMemref(), buffer);
      rewriter.replaceOp(op, alloc.getMemref());
      return success();
    }
    case Placement::Auto:
      return rewriter.notifyMatchFailure(op, "placement not decided");
    case Placement::HostStaged:
      return rewriter.notifyMatchFailure(op, "staged tables not lowered yet");
    }
    return failure();
  }
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
    auto table = llvm::cast<TableType>(op.getSource().getType());
    Type elementType = table.getElementType();
    if (elementType.getIntOrFloatBitWidth() % 8 != 0)
      return rewriter.notifyMatchFailure(op, "sub-byte elements");
    int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
    AlignmentAttr alignment = op.getAlignmentAttr();

    IndexMath m{rewriter, loc};
    Value source = asMatrix(rewriter, loc, adaptor.getSource());
    Value dest = asMatrix(rewriter, loc, adaptor.getDest());
    Value indices = adaptor.getIndices();
    Value numIndices = memref::DimOp::create(rewriter, loc, indices, 0);
    Value numRows = memref::DimOp::create(rewriter, loc, source, 0);
    Value numColumns = memref::DimOp::create(rewriter, loc, source, 1);
    Value elementSize = m.constant(elementBytes);
    Value rowBytes = m.mul(numColumns, elementSize);
    Value sourceBase =
        memref::ExtractAlignedPointerAsIndexOp::create(rewriter, loc, source);
    Value destBase =
        memref::ExtractAlignedPointerAsIndexOp::create(rewriter, loc, dest);
    Value one = m.constant(1);

    bool shift = alignment && alignment.getStrategy() == AlignStrategy::Shift;
    int64_t threadsPerBlock = shift ? 32 * 8 : blockSize;
    Value work = shift ? numIndices : m.mul(numIndices, numColumns);
    Value workPerBlock = m.constant(shift ? 8 : blockSize);
    Value blockCap = m.constant(std::max<int64_t>(1, maxThreads / threadsPerBlock));
    Value blocks = m.max(m.min(m.ceilDiv(work, workPerBlock), blockCap), one);

    Type tokenType = op.getAsyncToken()
                         ? gpu::AsyncTokenType::get(rewriter.getContext())
                         : Type();
    auto launch = gpu::LaunchOp::create(
        rewriter, loc, blocks, one, one, m.constant(shift ? 32 : blockSize),
        m.constant(shift ? 8 : 1), one, /*dynamicSharedMemorySize=*/nullptr,
        tokenType, adaptor.getAsyncDependencies());

    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&launch.getBody().front());
      IndexMath k{rewriter, loc};
      Value zero = k.constant(0);
      Value request = alignment ? k.constant(alignment.getBytes()) : Value();
      auto inRange = [&](Value row) {
        return arith::AndIOp::create(
            rewriter, loc, k.cmp(arith::CmpIPredicate::sge, row, zero),
            k.cmp(arith::CmpIPredicate::slt, row, numRows));
      };
      if (shift)
        buildShiftKernel(rewriter, loc, launch, source, dest, indices,
                         numIndices, numColumns, rowBytes, elementSize,
                         sourceBase, request, inRange);
      else
        buildFlatKernel(rewriter, loc, launch, source, dest, indices,
                        numIndices, numColumns, rowBytes, elementSize,
                        sourceBase, destBase, request, table, inRange);
      gpu::TerminatorOp::create(rewriter, loc);
    }

    if (op.getAsyncToken())
      rewriter.replaceOp(op, launch.getAsyncToken());
    else
      rewriter.eraseOp(op);
    return success();
  }

  /// Threads over the flattened output, optionally with rotation.
  void buildFlatKernel(OpBuilder &b, Location loc, gpu::LaunchOp launch,
                       Value source, Value dest, Value indices,
                       Value numIndices, Value numColumns, Value rowBytes,
                       Value elementSize, Value sourceBase, Value destBase,
                       Value request, TableType table,
                       function_ref<Value(Value)> inRange) const {
    IndexMath k{b, loc};
    Value first = k.add(k.mul(launch.getBlockIds().x, launch.getBlockSize().x),
                        launch.getThreadIds().x);
    Value stride = k.mul(launch.getGridSize().x, launch.getBlockSize().x);
    Value total = k.mul(numIndices, numColumns);
    auto loop = scf::ForOp::create(b, loc, first, total, stride);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value position = loop.getInductionVar();
    Value outRow = k.divu(position, numColumns);
    Value column = k.remu(position, numColumns);
    Value row = loadIndex(b, loc, indices, outRow);
    ifThen(b, loc, inRange(row), [&](OpBuilder &b) {
      IndexMath k{b, loc};
      Value copyColumn = column;
      if (request) {
        Value outAddress = k.add(destBase, k.mul(outRow, rowBytes));
        Value inAddress = k.add(sourceBase, k.mul(row, rowBytes));
        Value diff = k.divs(k.rems(k.sub(outAddress, inAddress), request),
                            elementSize);
        Value rotated = k.add(column, diff);
        rotated = k.select(
            k.cmp(arith::CmpIPredicate::sge, rotated, numColumns),
            k.sub(rotated, numColumns), rotated);
        rotated = k.select(
            k.cmp(arith::CmpIPredicate::slt, rotated, k.constant(0)),
            k.add(rotated, numColumns), rotated);
        // With a static row size the canonicalizer has already dropped a
        // useless rotation; otherwise decide at run time.
        if (!table.getRowBytes()) {
          Value useful = arith::AndIOp::create(
              b, loc, k.cmp(arith::CmpIPredicate::ugt, rowBytes, request),
              k.cmp(arith::CmpIPredicate::ne, k.remu(rowBytes, request),
                    k.constant(0)));
          rotated = k.select(useful, rotated, column);
        }
        copyColumn = rotated;
      }
      copyElement(b, loc, source, row, dest, outRow, copyColumn);
    });
  }

  /// A warp per row; lanes start `shift` columns early so that every read
  /// begins on a request boundary.
  void buildShiftKernel(OpBuilder &b, Location loc, gpu::LaunchOp launch,
                        Value source, Value dest, Value indices,
                        Value numIndices, Value numColumns, Value rowBytes,
                        Value elementSize, Value sourceBase, Value request,
                        function_ref<Value(Value)> inRange) const {
    IndexMath k{b, loc};
    Value first = k.add(k.mul(launch.getBlockIds().x, launch.getBlockSize().y),
                        launch.getThreadIds().y);
    Value stride = k.mul(launch.getGridSize().x, launch.getBlockSize().y);
    auto rows = scf::ForOp::create(b, loc, first, numIndices, stride);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rows.getBody());
    Value outRow = rows.getInductionVar();
    Value row = loadIndex(b, loc, indices, outRow);
    ifThen(b, loc, inRange(row), [&](OpBuilder &b) {
      IndexMath k{b, loc};
      Value inAddress = k.add(sourceBase, k.mul(row, rowBytes));
      Value shiftColumns = k.divu(k.remu(inAddress, request), elementSize);
      Value start = k.sub(launch.getThreadIds().x, shiftColumns);
      auto columns = scf::ForOp::create(b, loc, start, numColumns,
                                        launch.getBlockSize().x);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(columns.getBody());
      Value column = columns.getInductionVar();
      ifThen(b, loc, k.cmp(arith::CmpIPredicate::sge, column, k.constant(0)),
             [&](OpBuilder &b) {
               copyElement(b, loc, source, row, dest, outRow, column);
             });
    });
  }

  int64_t maxThreads;
  int64_t blockSize;
};

struct ConvertSluiceToGPUPass
    : sluice::impl::ConvertSluiceToGPUBase<ConvertSluiceToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize < 32 || blockSize > 1024 || blockSize % 32 != 0) {
      getOperation().emitError("block-size must be a multiple of 32 between "
                               "32 and 1024, but got ")
          << blockSize;
      return signalPassFailure();
    }
    if (maxThreads < 1) {
      getOperation().emitError("max-threads must be at least 1, but got ")
          << maxThreads;
      return signalPassFailure();
    }

    // Placement must be decided before kernels can be chosen.
    WalkResult undecided = getOperation().walk([](Operation *op) {
      for (Type type : op->getResultTypes())
        if (auto table = llvm::dyn_cast<TableType>(type))
          if (table.getPlacement() == Placement::Auto ||
              table.getPlacement() == Placement::HostStaged) {
            op->emitError("cannot lower table ")
                << table << " to the GPU: "
                << (table.getPlacement() == Placement::Auto
                        ? "its placement is not decided (run "
                          "sluice-place-tables, or give one)"
                        : "staged tables are not supported by the GPU "
                          "lowering yet");
            return WalkResult::interrupt();
          }
      return WalkResult::advance();
    });
    if (undecided.wasInterrupted())
      return signalPassFailure();

    MLIRContext *context = &getContext();
    TableTypeConverter converter;
    RewritePatternSet patterns(context);
    populateSluiceToGPUPatterns(converter, patterns, maxThreads, blockSize);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*context);
    target.addIllegalDialect<SluiceDialect>();
    target.addLegalDialect<arith::ArithDialect, gpu::GPUDialect,
                           memref::MemRefDialect, scf::SCFDialect>();
    target.addLegalOp<UnrealizedConversionCastOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
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
  patterns.add<GatherIntoLowering>(converter, patterns.getContext(),
                                   maxThreads, blockSize);
}
