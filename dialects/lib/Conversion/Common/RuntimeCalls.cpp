//===- RuntimeCalls.cpp - calling libsluice_rt from lowered IR ------------===//

#include "sluice/Conversion/RuntimeCalls.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

using namespace mlir;

namespace mlir::sluice {

func::FuncOp declareRuntimeFunction(OpBuilder &builder, ModuleOp module,
                                    StringRef name, unsigned numArguments,
                                    unsigned numResults) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(module.getBody());
  SmallVector<Type> arguments(numArguments, builder.getIndexType());
  SmallVector<Type> results(numResults, builder.getIndexType());
  auto function =
      func::FuncOp::create(builder, module.getLoc(), name,
                           builder.getFunctionType(arguments, results));
  function.setPrivate();
  return function;
}

func::FuncOp declareRuntimeFunction(OpBuilder &builder, ModuleOp module,
                                    StringRef name, FunctionType type) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(module.getBody());
  auto function = func::FuncOp::create(builder, module.getLoc(), name, type);
  function.setPrivate();
  return function;
}

Value stringAddress(OpBuilder &builder, ModuleOp module, Location loc,
                    StringRef text) {
  std::string bytes = text.str();
  bytes.push_back('\0');
  auto type = MemRefType::get({int64_t(bytes.size())}, builder.getI8Type());
  SmallVector<int8_t> data(bytes.begin(), bytes.end());
  auto value = DenseElementsAttr::get(
      RankedTensorType::get(type.getShape(), builder.getI8Type()),
      ArrayRef<int8_t>(data));

  // One global per distinct text, named after a counter.
  memref::GlobalOp global;
  unsigned counter = 0;
  std::string name;
  while (true) {
    name = "__sluice_str_" + std::to_string(counter++);
    auto existing = module.lookupSymbol<memref::GlobalOp>(name);
    if (!existing)
      break;
    if (existing.getInitialValueAttr() == value) {
      global = existing;
      break;
    }
  }
  if (!global) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(module.getBody());
    global = memref::GlobalOp::create(
        builder, loc, name, builder.getStringAttr("private"), type, value,
        /*constant=*/true, /*alignment=*/nullptr);
  }
  Value ref =
      memref::GetGlobalOp::create(builder, loc, type, global.getSymName());
  return memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, ref);
}

Value locationString(OpBuilder &builder, ModuleOp module, Location loc) {
  return stringAddress(builder, module, loc, describeLocation(loc));
}

void emitCheck(OpBuilder &builder, ModuleOp module, Location loc, Value failed,
               StringRef message, Value a, Value c) {
  func::FuncOp report = declareRuntimeFunction(
      builder, module, "sluice_rt_check_error",
      builder.getFunctionType({builder.getIndexType(), builder.getIndexType(),
                               builder.getI64Type(), builder.getI64Type()},
                              {}));
  scf::IfOp::create(builder, loc, failed, [&](OpBuilder &ib, Location il) {
    auto asI64 = [&](Value v) -> Value {
      if (!v)
        return arith::ConstantIntOp::create(ib, il, ib.getI64Type(), 0);
      if (v.getType().isIndex())
        return arith::IndexCastOp::create(ib, il, ib.getI64Type(), v);
      if (v.getType().getIntOrFloatBitWidth() < 64)
        return arith::ExtSIOp::create(ib, il, ib.getI64Type(), v);
      return v;
    };
    func::CallOp::create(ib, il, report,
                         ValueRange{locationString(ib, module, il),
                                    stringAddress(ib, module, il, message),
                                    asI64(a), asI64(c)});
    scf::YieldOp::create(ib, il);
  });
}

Value tensorFilledBy(OpBuilder &builder, Location loc, RankedTensorType type,
                     ArrayRef<Value> sizes,
                     function_ref<void(Value address)> fill) {
  SmallVector<Value> dynamic;
  for (int64_t dim = 0; dim < type.getRank(); ++dim)
    if (type.isDynamicDim(dim))
      dynamic.push_back(sizes[dim]);
  auto bufferType = MemRefType::get(type.getShape(), type.getElementType());
  Value buffer = memref::AllocOp::create(builder, loc, bufferType, dynamic);
  fill(memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, buffer));
  return bufferization::ToTensorOp::create(builder, loc, type, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}

bool isContiguous(MemRefType type) {
  if (type.getLayout().isIdentity())
    return true;
  // A slice of consecutive elements (a batch of an index list): row-major
  // strides at any offset.
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  int64_t expected = 1;
  for (int64_t i = type.getRank() - 1; i >= 0; --i) {
    if (strides[i] != expected)
      return false;
    if (i > 0) {
      if (ShapedType::isDynamic(type.getDimSize(i)))
        return false;
      expected *= type.getDimSize(i);
    }
  }
  return true;
}

Value bufferAddress(OpBuilder &builder, Location loc, Value buffer) {
  Value aligned =
      memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, buffer);
  auto type = llvm::cast<MemRefType>(buffer.getType());
  if (type.getLayout().isIdentity())
    return aligned;
  // The first element is `offset` elements past the aligned base.
  auto metadata =
      memref::ExtractStridedMetadataOp::create(builder, loc, buffer);
  unsigned bytes = type.getElementTypeBitWidth() / 8;
  Value offset = arith::MulIOp::create(
      builder, loc, metadata.getOffset(),
      arith::ConstantIndexOp::create(builder, loc, bytes));
  return arith::AddIOp::create(builder, loc, aligned, offset);
}

LogicalResult checkRuntimeGather(Operation *op, StringRef what) {
  auto gather = llvm::cast<GatherIntoOp>(op);
  if (gather.getAsyncToken() || !gather.getAsyncDependencies().empty() ||
      gather.getStream())
    return gather.emitOpError(what) << " cannot be asynchronous";
  auto indicesType = llvm::cast<MemRefType>(gather.getIndices().getType());
  Type indexElement = indicesType.getElementType();
  if (!indexElement.isIndex() && !indexElement.isInteger(64))
    return gather.emitOpError(what)
           << " needs i64 or index indices, but got " << indicesType;
  if (!isContiguous(indicesType) ||
      !isContiguous(llvm::cast<MemRefType>(gather.getDest().getType())))
    return gather.emitOpError(what)
           << " needs contiguous index and row buffers";
  if (gather.getSourceTable().getElementType().getIntOrFloatBitWidth() % 8 != 0)
    return gather.emitOpError(what) << " needs byte-sized elements";
  return success();
}

void replaceWithRuntimeGather(ConversionPatternRewriter &rewriter,
                              Operation *op, StringRef callee, Value source,
                              Value indices, Value dest) {
  Location loc = op->getLoc();
  auto module = op->getParentOfType<ModuleOp>();
  func::FuncOp function = declareRuntimeFunction(rewriter, module, callee, 7);
  auto sourceType = llvm::cast<MemRefType>(source.getType());
  unsigned bits = sourceType.getElementType().getIntOrFloatBitWidth();
  Value rowBytes = arith::ConstantIndexOp::create(rewriter, loc, bits / 8);
  for (int64_t dim = 1; dim < sourceType.getRank(); ++dim)
    rowBytes = arith::MulIOp::create(
        rewriter, loc, rowBytes,
        memref::DimOp::create(rewriter, loc, source, dim));
  Value arguments[] = {bufferAddress(rewriter, loc, source),
                       memref::DimOp::create(rewriter, loc, source, 0),
                       rowBytes,
                       bufferAddress(rewriter, loc, indices),
                       memref::DimOp::create(rewriter, loc, indices, 0),
                       bufferAddress(rewriter, loc, dest),
                       locationString(rewriter, module, loc)};
  func::CallOp::create(rewriter, loc, function, arguments);
  rewriter.eraseOp(op);
}

/// The first of a sort's buffers that is not contiguous i64 or index, if any.
static std::optional<MemRefType> unsortableBuffer(Operation *op) {
  auto sort = llvm::cast<SortUniqueIntoOp>(op);
  for (Value buffer :
       {sort.getIndices(), sort.getUnique(), sort.getInverse()}) {
    auto type = llvm::cast<MemRefType>(buffer.getType());
    if (!type.getLayout().isIdentity() ||
        !(type.getElementType().isIndex() ||
          type.getElementType().isInteger(64)))
      return type;
  }
  return std::nullopt;
}

bool hasSortableBuffers(Operation *sort) { return !unsortableBuffer(sort); }

LogicalResult checkSortUniqueInto(Operation *op) {
  if (!llvm::isa<SortUniqueIntoOp>(op))
    return success();
  if (std::optional<MemRefType> type = unsortableBuffer(op))
    return op->emitOpError("sorting needs contiguous buffers of i64 or "
                           "index, but got ")
           << *type;
  return success();
}

LogicalResult rejectFrontEndOps(Operation *root) {
  llvm::SmallDenseSet<OperationName> reported;
  root->walk([&](Operation *op) {
    if (isFrontEndOp(op) && reported.insert(op->getName()).second)
      op->emitError("'") << op->getName()
                         << "' cannot be compiled yet: no back end "
                            "lowers it in this version of sluice";
  });
  return failure(!reported.empty());
}

namespace {
struct SortUniqueIntoToCall : OpConversionPattern<SortUniqueIntoOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SortUniqueIntoOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto module = op->getParentOfType<ModuleOp>();
    func::FuncOp callee = declareRuntimeFunction(
        rewriter, module, "sluice_rt_sort_unique", 4, /*numResults=*/1);
    Value arguments[] = {
        bufferAddress(rewriter, loc, adaptor.getIndices()),
        memref::DimOp::create(rewriter, loc, adaptor.getIndices(), 0),
        bufferAddress(rewriter, loc, adaptor.getUnique()),
        bufferAddress(rewriter, loc, adaptor.getInverse())};
    auto call = func::CallOp::create(rewriter, loc, callee, arguments);
    rewriter.replaceOp(op, call.getResults());
    return success();
  }
};
} // namespace

void populateSortUniqueIntoPattern(const TypeConverter &converter,
                                   RewritePatternSet &patterns) {
  patterns.add<SortUniqueIntoToCall>(converter, patterns.getContext());
}

} // namespace mlir::sluice
