//===- RuntimeCalls.cpp - calling libsluice_rt from lowered IR ------------===//

#include "sluice/Conversion/RuntimeCalls.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
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

Value locationString(OpBuilder &builder, ModuleOp module, Location loc) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  if (auto file = llvm::dyn_cast<FileLineColLoc>(loc))
    stream << file.getFilename().getValue() << ":" << file.getLine() << ":"
           << file.getColumn();
  else
    loc.print(stream);
  text.push_back('\0');
  auto type = MemRefType::get({int64_t(text.size())}, builder.getI8Type());
  SmallVector<int8_t> bytes(text.begin(), text.end());
  auto value = DenseElementsAttr::get(
      RankedTensorType::get(type.getShape(), builder.getI8Type()),
      ArrayRef<int8_t>(bytes));

  // One global per distinct location text, named after a counter.
  memref::GlobalOp global;
  unsigned counter = 0;
  std::string name;
  while (true) {
    name = "__sluice_where_" + std::to_string(counter++);
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

Value bufferAddress(OpBuilder &builder, Location loc, Value buffer) {
  return memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, buffer);
}

} // namespace mlir::sluice
