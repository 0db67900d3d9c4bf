//===- ProgramToRuntime.cpp - parameters and logs to runtime calls --------===//
//
// The ops are scalar and their lowering does not depend on the target, so
// this is a direct rewrite rather than a dialect conversion; it runs first in
// both the CPU and the CUDA pipelines.
//
//===----------------------------------------------------------------------===//

#include "sluice/Conversion/Passes.h"
#include "sluice/Conversion/RuntimeCalls.h"
#include "sluice/Dialect/Sluice/IR/SluiceOps.h"
#include "sluice/Dialect/Sluice/IR/SluiceTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir::sluice {
#define GEN_PASS_DEF_CONVERTPROGRAMTORUNTIME
#include "sluice/Conversion/Passes.h.inc"
} // namespace mlir::sluice

using namespace mlir;
using namespace mlir::sluice;

namespace {

/// The runtime's parameter kinds (sluice::rt::ParamKind).
enum Kind : int32_t { KindInt = 0, KindFloat = 1, KindBool = 2, KindF32 = 3 };

std::optional<Kind> kindOf(Type type) {
  if (type.isInteger(64))
    return KindInt;
  if (type.isInteger(1))
    return KindBool;
  if (type.isF32())
    return KindF32;
  if (type.isF64())
    return KindFloat;
  return std::nullopt;
}

/// An [int] parameter: a list whose length the command line decides.
bool isIntList(Type type) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getRank() == 1 && tensor.isDynamicDim(0) &&
         tensor.getElementType().isInteger(64);
}

struct ConvertProgramToRuntimePass
    : sluice::impl::ConvertProgramToRuntimeBase<ConvertProgramToRuntimePass> {
  void runOnOperation() override;

private:
  LogicalResult lowerMain(ModuleOp module, ArrayRef<ParamOp> params);
  void lowerParamValue(ModuleOp module, ParamValueOp op);
  LogicalResult lowerLog(ModuleOp module, LogOp op);
};

void ConvertProgramToRuntimePass::runOnOperation() {
  ModuleOp module = getOperation();
  SmallVector<ParamOp> params(module.getOps<ParamOp>());
  bool hasLogs = false;
  module.walk([&](LogOp) { hasLogs = true; });
  if (params.empty() && !hasLogs)
    return;

  bool failedParam = false;
  for (ParamOp param : params)
    if (!kindOf(param.getType()) && !llvm::isa<StrType>(param.getType()) &&
        !isIntList(param.getType())) {
      param.emitError("parameter @")
          << param.getSymName() << " of type " << param.getType()
          << " cannot be a command-line flag yet (only int, float, bool, "
             "str and [int] parameters are)";
      failedParam = true;
    }
  if (failedParam)
    return signalPassFailure();

  if (failed(lowerMain(module, params)))
    return signalPassFailure();
  SmallVector<ParamValueOp> reads;
  module.walk([&](ParamValueOp op) { reads.push_back(op); });
  for (ParamValueOp op : reads)
    lowerParamValue(module, op);
  SmallVector<LogOp> logs;
  module.walk([&](LogOp op) { logs.push_back(op); });
  for (LogOp op : logs)
    if (failed(lowerLog(module, op)))
      return signalPassFailure();
  for (ParamOp param : params)
    param.erase();
}

LogicalResult ConvertProgramToRuntimePass::lowerMain(ModuleOp module,
                                                     ArrayRef<ParamOp> params) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main || main.isExternal())
    return success(); // a library: whoever calls it parsed the flags
  MLIRContext *context = module.getContext();
  OpBuilder b(context);
  Type i32 = b.getI32Type(), ptr = LLVM::LLVMPointerType::get(context);
  FunctionType type = main.getFunctionType();
  if (type.getNumInputs() != 0)
    return main.emitError("a program with parameters or logs needs "
                          "`main() -> i32` to give it the command line, but "
                          "main is ")
           << type;
  // main(argc, argv): the C entry point's arguments.
  main.setType(b.getFunctionType({i32, ptr}, type.getResults()));
  Block &entry = main.front();
  Value argc = entry.addArgument(i32, main.getLoc());
  Value argv = entry.addArgument(ptr, main.getLoc());
  b.setInsertionPointToStart(&entry);

  auto declare = declareRuntimeFunction(
      b, module, "sluice_rt_declare_param",
      b.getFunctionType({b.getIndexType(), i32, i32, b.getI64Type(),
                         b.getF64Type(), b.getIndexType()},
                        {}));
  for (ParamOp param : params) {
    Location loc = param.getLoc();
    if (llvm::isa<StrType>(param.getType())) {
      auto declareStr = declareRuntimeFunction(
          b, module, "sluice_rt_declare_str_param",
          b.getFunctionType(
              {b.getIndexType(), b.getIndexType(), b.getIndexType()}, {}));
      auto text =
          llvm::dyn_cast_if_present<StringAttr>(param.getDefaultValueAttr());
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      Value arguments[] = {
          stringAddress(b, module, loc, param.getSymName()),
          text ? stringAddress(b, module, loc, text.getValue()) : zero,
          param.getDoc() ? stringAddress(b, module, loc, *param.getDoc())
                         : zero};
      func::CallOp::create(b, loc, declareStr, arguments);
      continue;
    }
    if (isIntList(param.getType())) {
      auto declareList = declareRuntimeFunction(
          b, module, "sluice_rt_declare_list_param",
          b.getFunctionType(
              {b.getIndexType(), b.getIndexType(), b.getIndexType()}, {}));
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      Value defaultText = zero;
      if (auto values = llvm::dyn_cast_if_present<DenseIntElementsAttr>(
              param.getDefaultValueAttr())) {
        std::string text;
        for (const APInt &value : values.getValues<APInt>())
          text +=
              (text.empty() ? "" : ",") + std::to_string(value.getSExtValue());
        defaultText = stringAddress(b, module, loc, text);
      }
      Value arguments[] = {
          stringAddress(b, module, loc, param.getSymName()), defaultText,
          param.getDoc() ? stringAddress(b, module, loc, *param.getDoc())
                         : zero};
      func::CallOp::create(b, loc, declareList, arguments);
      continue;
    }
    Kind kind = *kindOf(param.getType());
    int64_t intDefault = 0;
    double floatDefault = 0;
    Attribute value = param.getDefaultValueAttr();
    if (auto integer = llvm::dyn_cast_if_present<IntegerAttr>(value))
      intDefault = integer.getValue().getSExtValue();
    if (auto boolean = llvm::dyn_cast_if_present<BoolAttr>(value))
      intDefault = boolean.getValue();
    if (auto real = llvm::dyn_cast_if_present<FloatAttr>(value))
      floatDefault = real.getValueAsDouble();
    if (kind == KindBool)
      intDefault = intDefault != 0; // i1 true reads back as -1
    Value doc = param.getDoc()
                    ? stringAddress(b, module, loc, *param.getDoc())
                    : (Value)arith::ConstantIndexOp::create(b, loc, 0);
    Value arguments[] = {
        stringAddress(b, module, loc, param.getSymName()),
        arith::ConstantIntOp::create(b, loc, i32, kind),
        arith::ConstantIntOp::create(b, loc, i32, value ? 1 : 0),
        arith::ConstantIntOp::create(b, loc, b.getI64Type(), intDefault),
        arith::ConstantOp::create(b, loc, b.getF64FloatAttr(floatDefault)),
        doc};
    func::CallOp::create(b, loc, declare, arguments);
  }
  auto parse = declareRuntimeFunction(b, module, "sluice_rt_parse_args",
                                      b.getFunctionType({i32, ptr}, {}));
  func::CallOp::create(b, main.getLoc(), parse, ValueRange{argc, argv});
  return success();
}

void ConvertProgramToRuntimePass::lowerParamValue(ModuleOp module,
                                                  ParamValueOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Type type = op.getType();
  if (llvm::isa<StrType>(type)) {
    // The text's address; the ops that read strings (load_dataset) look
    // through the cast.
    auto read = declareRuntimeFunction(
        b, module, "sluice_rt_param_str",
        b.getFunctionType({b.getIndexType()}, {b.getIndexType()}));
    Value address =
        func::CallOp::create(b, loc, read,
                             stringAddress(b, module, loc, op.getParam()))
            .getResult(0);
    Value text =
        UnrealizedConversionCastOp::create(b, loc, type, address).getResult(0);
    op.replaceAllUsesWith(text);
    op.erase();
    return;
  }
  if (isIntList(type)) {
    // A fresh buffer of the flag's length, filled from the runtime.
    Value name = stringAddress(b, module, loc, op.getParam());
    auto sizeFn = declareRuntimeFunction(
        b, module, "sluice_rt_param_list_size",
        b.getFunctionType({b.getIndexType()}, {b.getI64Type()}));
    auto copyFn = declareRuntimeFunction(
        b, module, "sluice_rt_param_list_copy",
        b.getFunctionType({b.getIndexType(), b.getIndexType()}, {}));
    Value length = arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        func::CallOp::create(b, loc, sizeFn, name).getResult(0));
    Value values = tensorFilledBy(
        b, loc, llvm::cast<RankedTensorType>(type), {length}, [&](Value out) {
          func::CallOp::create(b, loc, copyFn, ValueRange{name, out});
        });
    op.replaceAllUsesWith(values);
    op.erase();
    return;
  }
  bool isFloat = llvm::isa<FloatType>(type);
  auto read = declareRuntimeFunction(
      b, module, isFloat ? "sluice_rt_param_f64" : "sluice_rt_param_i64",
      b.getFunctionType({b.getIndexType()},
                        {isFloat ? Type(b.getF64Type()) : b.getI64Type()}));
  Value name = stringAddress(b, module, loc, op.getParam());
  Value value = func::CallOp::create(b, loc, read, name).getResult(0);
  if (type.isF32())
    value = arith::TruncFOp::create(b, loc, type, value);
  else if (type.isInteger(1))
    value = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne, value,
        arith::ConstantIntOp::create(b, loc, b.getI64Type(), 0));
  op.replaceAllUsesWith(value);
  op.erase();
}

LogicalResult ConvertProgramToRuntimePass::lowerLog(ModuleOp module, LogOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value value = op.getValue();
  Type type = value.getType();
  if (auto tensor = llvm::dyn_cast<RankedTensorType>(type)) {
    if (tensor.getRank() != 0)
      return op.emitOpError("logs scalars; reduce the tensor first");
    value = tensor::ExtractOp::create(b, loc, value, ValueRange{});
    type = tensor.getElementType();
  }
  bool isFloat = llvm::isa<FloatType>(type);
  if (isFloat && !type.isF64())
    value = arith::ExtFOp::create(b, loc, b.getF64Type(), value);
  else if (!isFloat && type.isIndex())
    value = arith::IndexCastOp::create(b, loc, b.getI64Type(), value);
  else if (!isFloat && !type.isInteger(64))
    value = type.isInteger(1)
                ? (Value)arith::ExtUIOp::create(b, loc, b.getI64Type(), value)
                : (Value)arith::ExtSIOp::create(b, loc, b.getI64Type(), value);
  Type i64 = b.getI64Type();
  Type valueType = isFloat ? Type(b.getF64Type()) : i64;
  Value label = stringAddress(b, module, loc, op.getLabel());
  // The enclosing loops (up to the three innermost, outermost first), so
  // that the runtime can show progress and write positions to --metrics.
  SmallVector<scf::ForOp> loops;
  for (Operation *parent = op->getParentOp();
       parent && !llvm::isa<func::FuncOp>(parent);
       parent = parent->getParentOp())
    if (auto loop = llvm::dyn_cast<scf::ForOp>(parent))
      loops.push_back(loop);
  if (loops.size() > 3)
    loops.resize(3);
  std::reverse(loops.begin(), loops.end());
  if (loops.empty()) {
    auto log = declareRuntimeFunction(
        b, module, isFloat ? "sluice_rt_log_f64" : "sluice_rt_log_i64",
        b.getFunctionType({b.getIndexType(), valueType}, {}));
    func::CallOp::create(b, loc, log, ValueRange{label, value});
    op.erase();
    return success();
  }
  auto toI64 = [&](Value v) -> Value {
    if (v.getType().isIndex())
      return arith::IndexCastOp::create(b, loc, i64, v);
    if (!v.getType().isInteger(64))
      return arith::ExtSIOp::create(b, loc, i64, v);
    return v;
  };
  SmallVector<Value> operands = {
      label, value, arith::ConstantIntOp::create(b, loc, i64, loops.size())};
  for (scf::ForOp loop : loops) {
    Value lower = toI64(loop.getLowerBound());
    Value step = toI64(loop.getStep());
    Value position = arith::DivSIOp::create(
        b, loc,
        arith::SubIOp::create(b, loc, toI64(loop.getInductionVar()), lower),
        step);
    Value count = arith::CeilDivSIOp::create(
        b, loc,
        arith::SubIOp::create(b, loc, toI64(loop.getUpperBound()), lower),
        step);
    operands.append({position, count});
  }
  Value zero = arith::ConstantIntOp::create(b, loc, i64, 0);
  while (operands.size() < 9)
    operands.push_back(zero);
  auto log = declareRuntimeFunction(
      b, module, isFloat ? "sluice_rt_log_f64_in" : "sluice_rt_log_i64_in",
      b.getFunctionType(
          {b.getIndexType(), valueType, i64, i64, i64, i64, i64, i64, i64},
          {}));
  func::CallOp::create(b, loc, log, operands);
  op.erase();
  return success();
}

} // namespace
