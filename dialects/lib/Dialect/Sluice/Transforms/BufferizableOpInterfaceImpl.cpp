//===- BufferizableOpInterfaceImpl.cpp - bufferizing sluice ops -----------===//

#include "sluice/Dialect/Sluice/Transforms/BufferizableOpInterfaceImpl.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::sluice;

namespace {

/// Reads its tensor operands, writes a new buffer.
template <typename ConcreteModel, typename ConcreteOp>
struct AllocatingModel
    : BufferizableOpInterface::ExternalModel<ConcreteModel, ConcreteOp> {
  bool bufferizesToMemoryRead(Operation *, OpOperand &,
                              const AnalysisState &) const {
    return true;
  }
  bool bufferizesToMemoryWrite(Operation *, OpOperand &,
                               const AnalysisState &) const {
    return false;
  }
  AliasingValueList getAliasingValues(Operation *, OpOperand &,
                                      const AnalysisState &) const {
    return {};
  }
  bool bufferizesToAllocation(Operation *, Value) const { return true; }
};

struct GatherOpModel : AllocatingModel<GatherOpModel, GatherOp> {
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto gather = llvm::cast<GatherOp>(op);
    Location loc = op->getLoc();
    FailureOr<Value> indices =
        getBuffer(rewriter, gather.getIndices(), options, state);
    if (failed(indices))
      return failure();
    Value source = gather.getSource();
    if (llvm::isa<TensorType>(source.getType())) {
      FailureOr<Value> buffer = getBuffer(rewriter, source, options, state);
      if (failed(buffer))
        return failure();
      source = *buffer;
    }
    RankedTensorType resultType = gather.getResult().getType();
    SmallVector<Value> dynamicSizes;
    for (int64_t dim = 0; dim < resultType.getRank(); ++dim) {
      if (!resultType.isDynamicDim(dim))
        continue;
      if (dim == 0) {
        dynamicSizes.push_back(
            memref::DimOp::create(rewriter, loc, *indices, 0));
        continue;
      }
      if (llvm::isa<TableType>(source.getType())) {
        // A table made from a buffer has that buffer's row size.
        auto made = source.getDefiningOp<MakeTableOp>();
        if (!made)
          return op->emitOpError("cannot bufferize a gather whose rows have a "
                                 "size known only at run time from a table");
        dynamicSizes.push_back(
            memref::DimOp::create(rewriter, loc, made.getBuffer(), dim));
        continue;
      }
      dynamicSizes.push_back(memref::DimOp::create(rewriter, loc, source, dim));
    }
    auto type =
        MemRefType::get(resultType.getShape(), resultType.getElementType());
    FailureOr<Value> rows =
        options.createAlloc(rewriter, loc, type, dynamicSizes);
    if (failed(rows))
      return failure();
    GatherIntoOp::create(rewriter, loc, /*asyncToken=*/Type(), ValueRange{},
                         /*stream=*/Value(), source, *indices, *rows,
                         gather.getAlignmentAttr());
    replaceOpWithBufferizedValues(rewriter, op, *rows);
    return success();
  }
};

struct SortUniqueOpModel : AllocatingModel<SortUniqueOpModel, SortUniqueOp> {
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto sort = llvm::cast<SortUniqueOp>(op);
    Location loc = op->getLoc();
    FailureOr<Value> indices =
        getBuffer(rewriter, sort.getIndices(), options, state);
    if (failed(indices))
      return failure();
    Value count = memref::DimOp::create(rewriter, loc, *indices, 0);
    // The sort reads one contiguous buffer: a view into a larger one (a
    // batch of a list of ids) is copied first, a pass over ids that the
    // sort reads several times anyway.
    auto indicesType = llvm::cast<MemRefType>(indices->getType());
    if (!indicesType.getLayout().isIdentity()) {
      auto contiguousType =
          MemRefType::get(indicesType.getShape(), indicesType.getElementType());
      SmallVector<Value> sizes;
      if (contiguousType.isDynamicDim(0))
        sizes.push_back(count);
      FailureOr<Value> contiguous =
          options.createAlloc(rewriter, loc, contiguousType, sizes);
      if (failed(contiguous) ||
          failed(options.createMemCpy(rewriter, loc, *indices, *contiguous)))
        return failure();
      indices = *contiguous;
    }
    auto uniqueTensor =
        llvm::cast<RankedTensorType>(sort.getUnique().getType());
    auto inverseTensor =
        llvm::cast<RankedTensorType>(sort.getInverse().getType());
    // Room for every index; the distinct count is known after the sort.
    auto scratch =
        MemRefType::get({ShapedType::kDynamic}, uniqueTensor.getElementType());
    FailureOr<Value> unique =
        options.createAlloc(rewriter, loc, scratch, ValueRange{count});
    auto inverseType = MemRefType::get(inverseTensor.getShape(),
                                       inverseTensor.getElementType());
    SmallVector<Value> inverseSizes;
    if (inverseTensor.isDynamicDim(0))
      inverseSizes.push_back(count);
    FailureOr<Value> inverse =
        options.createAlloc(rewriter, loc, inverseType, inverseSizes);
    if (failed(unique) || failed(inverse))
      return failure();
    Value distinct =
        SortUniqueIntoOp::create(rewriter, loc, *indices, *unique, *inverse);
    // View the front of the scratch buffer as the result.
    auto uniqueType =
        MemRefType::get(uniqueTensor.getShape(), uniqueTensor.getElementType());
    OpFoldResult size =
        uniqueTensor.isDynamicDim(0)
            ? OpFoldResult(distinct)
            : OpFoldResult(rewriter.getIndexAttr(uniqueTensor.getDimSize(0)));
    Value front = memref::ReinterpretCastOp::create(
        rewriter, loc, uniqueType, *unique, rewriter.getIndexAttr(0),
        ArrayRef<OpFoldResult>{size},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
    replaceOpWithBufferizedValues(rewriter, op, {front, *inverse});
    return success();
  }
};

/// A value-preserving marker: the result is its operand's buffer.
struct ToDeviceOpModel
    : BufferizableOpInterface::ExternalModel<ToDeviceOpModel, ToDeviceOp> {
  bool bufferizesToMemoryRead(Operation *, OpOperand &,
                              const AnalysisState &) const {
    return false;
  }
  bool bufferizesToMemoryWrite(Operation *, OpOperand &,
                               const AnalysisState &) const {
    return false;
  }
  AliasingValueList getAliasingValues(Operation *op, OpOperand &,
                                      const AnalysisState &) const {
    return {{op->getResult(0), BufferRelation::Equivalent}};
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    FailureOr<Value> buffer =
        getBuffer(rewriter, op->getOperand(0), options, state);
    if (failed(buffer))
      return failure();
    replaceOpWithBufferizedValues(rewriter, op, *buffer);
    return success();
  }
};

} // namespace

void mlir::sluice::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SluiceDialect *) {
    GatherOp::attachInterface<GatherOpModel>(*context);
    SortUniqueOp::attachInterface<SortUniqueOpModel>(*context);
    ToDeviceOp::attachInterface<ToDeviceOpModel>(*context);
  });
}
