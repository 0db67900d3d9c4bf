//===- SluiceOps.cpp - sluice operations: verifiers and folds -------------===//

#include "sluice/Dialect/Sluice/IR/SluiceOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <numeric>

using namespace mlir;
using namespace mlir::sluice;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// Two sizes agree when either is unknown or both are equal.
static bool compatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// Prints a shape as `[2, ?, 4]` for diagnostics.
static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::interleave(
      shape,
      [&](int64_t dim) {
        text += ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
      },
      [&] { text += ", "; });
  return text + "]";
}

/// Prints a number the way a user wrote it (`0.01`, not `1.000000e-02`).
static std::string formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

static std::string formatSize(int64_t size) {
  return ShapedType::isDynamic(size) ? "?" : std::to_string(size);
}

/// The rules gathers share: the rows have the source's row shape and element
/// type, one row per index, and alignment only where host reads happen.
static LogicalResult verifyGather(Operation *op, ShapedType source,
                                  ShapedType indices, ShapedType rows,
                                  AlignmentAttr alignment) {
  if (source.getRank() < 1)
    return op->emitOpError("expected a source of rank at least 1, but got ")
           << source;
  if (rows.getRank() != source.getRank())
    return op->emitOpError("expected rows of rank ")
           << source.getRank() << " (one index dimension, then the "
           << "source's row shape), but got " << rows;
  if (rows.getElementType() != source.getElementType())
    return op->emitOpError("expected row element type ")
           << source.getElementType() << " to match the source, but got "
           << rows.getElementType();
  if (!compatible(rows.getDimSize(0), indices.getDimSize(0)))
    return op->emitOpError("expected one row per index, but got ")
           << formatSize(rows.getDimSize(0)) << " rows for "
           << formatSize(indices.getDimSize(0)) << " indices";
  ArrayRef<int64_t> sourceRow = source.getShape().drop_front();
  ArrayRef<int64_t> resultRow = rows.getShape().drop_front();
  if (!llvm::all_of(llvm::zip_equal(sourceRow, resultRow), [](auto dims) {
        return compatible(std::get<0>(dims), std::get<1>(dims));
      }))
    return op->emitOpError("expected row shape ")
           << formatShape(sourceRow) << " of the source, but got "
           << formatShape(resultRow);
  if (alignment) {
    auto table = llvm::dyn_cast<TableType>(source);
    if (!table || (table.getPlacement() != Placement::HostZeroCopy &&
                   table.getPlacement() != Placement::Auto))
      return op->emitOpError("alignment applies only to gathers from "
                             "zero-copy host tables, but the source is ")
             << source;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Async dependencies: `async [%a, %b]`, as the gpu dialect prints them
//===----------------------------------------------------------------------===//

static ParseResult parseAsyncDependencies(
    OpAsmParser &parser, Type &asyncTokenType,
    SmallVectorImpl<OpAsmParser::UnresolvedOperand> &asyncDependencies) {
  SMLoc loc = parser.getCurrentLocation();
  if (succeeded(parser.parseOptionalKeyword("async"))) {
    if (parser.getNumResults() == 0)
      return parser.emitError(loc, "an 'async' op must name its token result");
    asyncTokenType = parser.getBuilder().getType<gpu::AsyncTokenType>();
  }
  return parser.parseOperandList(asyncDependencies,
                                 OpAsmParser::Delimiter::OptionalSquare);
}

static void printAsyncDependencies(OpAsmPrinter &printer, Operation *,
                                   Type asyncTokenType,
                                   OperandRange asyncDependencies) {
  // The format leaves no space before this directive: print one only when
  // there is something to print.
  if (asyncTokenType)
    printer << " async";
  if (asyncDependencies.empty())
    return;
  printer << " [";
  llvm::interleaveComma(asyncDependencies, printer);
  printer << ']';
}

//===----------------------------------------------------------------------===//
// Family 0: programs, data and training
//===----------------------------------------------------------------------===//

std::string mlir::sluice::describeLocation(Location loc) {
  if (auto file = llvm::dyn_cast<FileLineColLoc>(loc))
    return (file.getFilename().getValue() + ":" + Twine(file.getLine()) + ":" +
            Twine(file.getColumn()))
        .str();
  if (auto site = llvm::dyn_cast<CallSiteLoc>(loc))
    return describeLocation(site.getCallee()) + " (called from " +
           describeLocation(site.getCaller()) + ")";
  if (auto fused = llvm::dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      return describeLocation(fused.getLocations().front());
  if (auto named = llvm::dyn_cast<NameLoc>(loc))
    return describeLocation(named.getChildLoc());
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

bool mlir::sluice::isFrontEndOp(Operation *op) {
  return llvm::isa<ParamOp, ParamValueOp, StringOp, LoadGraphOp, LoadDatasetOp,
                   FieldOp, ShuffleOp, SampleOp, BlockLayerOp, AggregateMeanOp,
                   AggregateMeanGradOp, GradOp, RandomUniformOp, LogOp,
                   ArgmaxOp, TakeAlongOp>(op);
}

/// `tensor<?xT>`.
static RankedTensorType dynamicVector(Type elementType) {
  return RankedTensorType::get({ShapedType::kDynamic}, elementType);
}

/// Whether `type` is one of the types a program parameter may have.
static bool isParamType(Type type) {
  MLIRContext *context = type.getContext();
  Type i64 = IntegerType::get(context, 64);
  Type f32 = Float32Type::get(context);
  return type == i64 || type == IntegerType::get(context, 1) || type == f32 ||
         type.isF64() || llvm::isa<StrType>(type) ||
         type == dynamicVector(i64) || type == dynamicVector(f32);
}

/// Whether `value` is a default of the parameter type `type`.
static bool isDefaultOf(Type type, Attribute value) {
  if (llvm::isa<IntegerType, FloatType>(type))
    return llvm::isa<IntegerAttr, FloatAttr>(value) &&
           llvm::cast<TypedAttr>(value).getType() == type;
  if (llvm::isa<StrType>(type))
    return llvm::isa<StringAttr>(value);
  auto elements = llvm::dyn_cast<DenseElementsAttr>(value);
  return elements && elements.getType().getRank() == 1 &&
         elements.getType().hasStaticShape() &&
         elements.getElementType() ==
             llvm::cast<RankedTensorType>(type).getElementType();
}

LogicalResult ParamOp::verify() {
  // The name is a flag of the program: `--name`, parsed as an identifier,
  // and never `--help`, which every program's command line keeps for itself.
  StringRef name = getSymName();
  bool identifier =
      !name.empty() &&
      (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
      llvm::all_of(name, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      });
  if (!identifier)
    return emitOpError("expected a parameter name that is an identifier "
                       "(letters, digits and '_', not starting with a "
                       "digit), since it is the flag --NAME, but got '")
           << name << "'";
  if (name == "help")
    return emitOpError("a parameter cannot be named 'help': every "
                       "program's --help prints its flags");
  Type type = getType();
  if (!isParamType(type))
    return emitOpError("expected a parameter of type i64, i1, f32, f64, "
                       "!sluice.str, tensor<?xi64> or tensor<?xf32>, but got ")
           << type;
  Attribute value = getDefaultValueAttr();
  if (!value || isDefaultOf(type, value))
    return success();
  InFlightDiagnostic diag = emitOpError("expected a default of the "
                                        "parameter's type ")
                            << type;
  if (llvm::isa<RankedTensorType>(type))
    diag << " (dense elements of a static 1-D shape)";
  return diag << ", but got " << value;
}

// sluice.param @name : type (= default)? (doc "text")? (attributes {...})?
ParseResult ParamOp::parse(OpAsmParser &parser, OperationState &result) {
  StringAttr name;
  Type type;
  if (parser.parseSymbolName(name) || parser.parseColonType(type))
    return failure();
  result.addAttribute(getSymNameAttrName(result.name), name);
  result.addAttribute(getTypeAttrName(result.name), TypeAttr::get(type));
  if (succeeded(parser.parseOptionalEqual())) {
    // An integer or float default takes the parameter's type; strings and
    // dense tensors are written in full.
    Attribute value;
    if (parser.parseAttribute(
            value, llvm::isa<IntegerType, FloatType>(type) ? type : Type()))
      return failure();
    result.addAttribute(getDefaultValueAttrName(result.name), value);
  }
  if (succeeded(parser.parseOptionalKeyword("doc"))) {
    StringAttr doc;
    if (parser.parseAttribute(doc))
      return failure();
    result.addAttribute(getDocAttrName(result.name), doc);
  }
  return parser.parseOptionalAttrDictWithKeyword(result.attributes);
}

void ParamOp::print(OpAsmPrinter &printer) {
  printer << ' ';
  printer.printSymbolName(getSymName());
  printer << " : " << getType();
  if (Attribute value = getDefaultValueAttr()) {
    printer << " = ";
    auto typed = llvm::dyn_cast<TypedAttr>(value);
    if (llvm::isa<IntegerAttr, FloatAttr>(value) &&
        typed.getType() == getType())
      printer.printAttributeWithoutType(value);
    else
      printer.printAttribute(value);
  }
  if (StringAttr doc = getDocAttr()) {
    printer << " doc ";
    printer.printAttribute(doc);
  }
  printer.printOptionalAttrDictWithKeyword(
      (*this)->getAttrs(), {getSymNameAttrName(), getTypeAttrName(),
                            getDefaultValueAttrName(), getDocAttrName()});
}

LogicalResult
ParamValueOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto param =
      symbolTable.lookupNearestSymbolFrom<ParamOp>(*this, getParamAttr());
  if (!param)
    return emitOpError("expected ")
           << getParamAttr() << " to name a sluice.param, but it does not";
  if (param.getType() != getType())
    return emitOpError("expected the type ")
           << param.getType() << " of parameter " << getParamAttr()
           << ", but got " << getType();
  return success();
}

OpFoldResult StringOp::fold(FoldAdaptor) { return getValueAttr(); }

namespace {
/// What a field of an object is.
enum class FieldKind { FeatureTable, IdVector, Count };

struct FieldSpec {
  StringLiteral name;
  FieldKind kind;
};
} // namespace

static constexpr FieldSpec kGraphFields[] = {
    {"features", FieldKind::FeatureTable}, {"labels", FieldKind::IdVector},
    {"train", FieldKind::IdVector},        {"valid", FieldKind::IdVector},
    {"test", FieldKind::IdVector},         {"num_nodes", FieldKind::Count},
    {"num_edges", FieldKind::Count},       {"num_classes", FieldKind::Count}};
static constexpr FieldSpec kDatasetFields[] = {
    {"features", FieldKind::FeatureTable}, {"labels", FieldKind::IdVector},
    {"train", FieldKind::IdVector},        {"valid", FieldKind::IdVector},
    {"test", FieldKind::IdVector},         {"num_samples", FieldKind::Count},
    {"num_classes", FieldKind::Count}};
static constexpr FieldSpec kBlocksFields[] = {{"inputs", FieldKind::IdVector},
                                              {"seeds", FieldKind::IdVector},
                                              {"num_layers", FieldKind::Count}};
static constexpr FieldSpec kBlockFields[] = {{"num_src", FieldKind::Count},
                                             {"num_dst", FieldKind::Count}};
static constexpr FieldSpec kTableFields[] = {{"rows", FieldKind::Count},
                                             {"cols", FieldKind::Count}};

LogicalResult FieldOp::verify() {
  Type objectType = getObject().getType();
  ArrayRef<FieldSpec> fields =
      llvm::TypeSwitch<Type, ArrayRef<FieldSpec>>(objectType)
          .Case([](GraphType) { return ArrayRef(kGraphFields); })
          .Case([](DatasetType) { return ArrayRef(kDatasetFields); })
          .Case([](BlocksType) { return ArrayRef(kBlocksFields); })
          .Case([](BlockType) { return ArrayRef(kBlockFields); })
          .Default([](Type) { return ArrayRef(kTableFields); });
  const FieldSpec *field = llvm::find_if(
      fields, [&](const FieldSpec &spec) { return spec.name == getField(); });
  if (field == fields.end()) {
    InFlightDiagnostic diag = emitOpError("expected a field of ")
                              << objectType << " (";
    llvm::interleaveComma(fields, diag,
                          [&](const FieldSpec &spec) { diag << spec.name; });
    return diag << "), but got '" << getField() << "'";
  }
  Type type = getType();
  switch (field->kind) {
  case FieldKind::FeatureTable: {
    auto table = llvm::dyn_cast<TableType>(type);
    if (!table || table.getShape().size() != 2 ||
        !table.getElementType().isF32())
      return emitOpError("expected field '")
             << getField() << "' of " << objectType
             << " to be a rank-2 table of f32 (any placement), but got "
             << type;
    return success();
  }
  case FieldKind::IdVector: {
    Type expected = dynamicVector(IntegerType::get(getContext(), 64));
    if (type != expected)
      return emitOpError("expected field '")
             << getField() << "' of " << objectType << " to be " << expected
             << ", but got " << type;
    return success();
  }
  case FieldKind::Count:
    if (!type.isIndex())
      return emitOpError("expected field '")
             << getField() << "' of " << objectType
             << " to be an index, but got " << type;
    return success();
  }
  llvm_unreachable("unknown field kind");
}

/// Rows in, rows out: the same rank, element type and row shape.
static LogicalResult verifyRowsToRows(Operation *op, RankedTensorType x,
                                      RankedTensorType result) {
  auto emitOpError = [&](const Twine &message) {
    return op->emitOpError(message);
  };
  if (x.getRank() < 2)
    return emitOpError("expected rows of rank at least 2 (src nodes, then "
                       "the feature shape), but got ")
           << x;
  if (result.getRank() != x.getRank() ||
      result.getElementType() != x.getElementType())
    return emitOpError("expected a result of rank ")
           << x.getRank() << " and element type " << x.getElementType()
           << " (rows shaped like the operand's), but got " << result;
  ArrayRef<int64_t> xRow = x.getShape().drop_front();
  ArrayRef<int64_t> resultRow = result.getShape().drop_front();
  if (!llvm::all_of(llvm::zip_equal(xRow, resultRow), [](auto dims) {
        return compatible(std::get<0>(dims), std::get<1>(dims));
      }))
    return emitOpError("expected result rows of shape ")
           << formatShape(xRow) << " like the operand's, but got "
           << formatShape(resultRow);
  return success();
}

LogicalResult AggregateMeanOp::verify() {
  return verifyRowsToRows(*this, getX().getType(), getResult().getType());
}

LogicalResult AggregateMeanGradOp::verify() {
  return verifyRowsToRows(*this, getG().getType(), getResult().getType());
}

/// A float scalar, or a ranked tensor of floats of rank `rank` (any rank when
/// `rank` is unset).
static bool isFloatValueType(Type type, std::optional<int64_t> rank) {
  if (llvm::isa<FloatType>(type))
    return true;
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  return tensor && llvm::isa<FloatType>(tensor.getElementType()) &&
         (!rank || tensor.getRank() == *rank);
}

static ParseResult parseGradTypes(OpAsmParser &parser,
                                  SmallVectorImpl<Type> &wrtTypes,
                                  SmallVectorImpl<Type> &gradientTypes) {
  // Each gradient has its wrt value's type.
  if (parser.parseTypeList(wrtTypes))
    return failure();
  gradientTypes.assign(wrtTypes.begin(), wrtTypes.end());
  return success();
}

static void printGradTypes(OpAsmPrinter &printer, Operation *,
                           TypeRange wrtTypes, TypeRange) {
  llvm::interleaveComma(wrtTypes, printer);
}

LogicalResult GradOp::verify() {
  Type loss = getLoss().getType();
  if (!isFloatValueType(loss, /*rank=*/0))
    return emitOpError("expected a float scalar or 0-d float tensor loss, but "
                       "got ")
           << loss;
  if (getWrt().empty())
    return emitOpError("expected at least one value to differentiate with "
                       "respect to");
  if (getGradients().size() != getWrt().size())
    return emitOpError("expected one gradient per wrt value (")
           << getWrt().size() << "), but got " << getGradients().size();
  for (auto [index, wrt, gradient] :
       llvm::enumerate(getWrt().getTypes(), getGradients().getTypes())) {
    if (!isFloatValueType(wrt, std::nullopt))
      return emitOpError("expected wrt value #")
             << index << " to be a float scalar or ranked float tensor, but "
             << "got " << wrt;
    if (gradient != wrt)
      return emitOpError("expected gradient #")
             << index << " to have its wrt value's type " << wrt << ", but got "
             << gradient;
  }
  return success();
}

LogicalResult RandomUniformOp::verify() {
  RankedTensorType result = getResult().getType();
  int64_t numDynamic = result.getNumDynamicDims();
  if (static_cast<int64_t>(getDynamicSizes().size()) != numDynamic)
    return emitOpError("expected ")
           << numDynamic << " dynamic size(s), one per '?' of " << result
           << ", but got " << getDynamicSizes().size();
  return success();
}

LogicalResult LogOp::verify() {
  Type type = getValue().getType();
  Type element = type;
  if (auto tensor = llvm::dyn_cast<RankedTensorType>(type))
    element = tensor.getRank() == 0 ? tensor.getElementType() : Type();
  // Logged values reach the runtime as an f64 or an i64.
  bool loggable = element && ((llvm::isa<IntegerType>(element) &&
                               element.getIntOrFloatBitWidth() <= 64) ||
                              (llvm::isa<FloatType>(element) &&
                               element.getIntOrFloatBitWidth() <= 64));
  if (!loggable)
    return emitOpError("expected an integer or float scalar of at most 64 "
                       "bits, or a 0-d tensor of one, to log, but got ")
           << type;
  return success();
}

LogicalResult ArgmaxOp::verify() {
  RankedTensorType x = getX().getType();
  if (x.getRank() < 1)
    return emitOpError("expected x of rank at least 1, but got ") << x;
  if (x.getShape().back() == 0)
    return emitOpError("expected a non-empty last dimension, but got ") << x;
  ArrayRef<int64_t> expected = x.getShape().drop_back();
  ArrayRef<int64_t> shape = getResult().getType().getShape();
  if (shape.size() != expected.size() ||
      !llvm::all_of(llvm::zip_equal(shape, expected), [](auto dims) {
        return compatible(std::get<0>(dims), std::get<1>(dims));
      }))
    return emitOpError("expected a result of shape ")
           << formatShape(expected) << " (x's without the last dimension), "
           << "but got " << formatShape(shape);
  return success();
}

LogicalResult TakeAlongOp::verify() {
  RankedTensorType x = getX().getType();
  if (x.getRank() != 2)
    return emitOpError("expected x of rank 2 [rows, classes], but got ") << x;
  ShapedType result = getResult().getType();
  if (result.getElementType() != x.getElementType())
    return emitOpError("expected a result of x's element type ")
           << x.getElementType() << ", but got " << result.getElementType();
  int64_t rows = x.getDimSize(0);
  int64_t labels = getLabels().getType().getDimSize(0);
  if (!compatible(rows, labels) || !compatible(rows, result.getDimSize(0)) ||
      !compatible(labels, result.getDimSize(0)))
    return emitOpError("expected one label and one result per row of x, but "
                       "got ")
           << formatSize(rows) << " rows, " << formatSize(labels)
           << " labels and " << formatSize(result.getDimSize(0)) << " results";
  return success();
}

//===----------------------------------------------------------------------===//
// Family 1: gathering
//===----------------------------------------------------------------------===//

LogicalResult MakeTableOp::verify() {
  MemRefType buffer = getBuffer().getType();
  auto table = llvm::cast<TableType>(getTable().getType());
  if (buffer.getShape() != table.getShape() ||
      buffer.getElementType() != table.getElementType())
    return emitOpError("expected the table to have the buffer's shape and "
                       "element type ")
           << formatShape(buffer.getShape()) << " x " << buffer.getElementType()
           << ", but got " << table;
  if (!buffer.getLayout().isIdentity())
    return emitOpError("expected a contiguous row-major buffer, but got ")
           << buffer;
  return success();
}

LogicalResult GatherOp::verify() {
  return verifyGather(*this, llvm::cast<ShapedType>(getSource().getType()),
                      getIndices().getType(), getResult().getType(),
                      getAlignmentAttr());
}

LogicalResult GatherIntoOp::verify() {
  if (getStream() && (getAsyncToken() || !getAsyncDependencies().empty()))
    return emitOpError("a gather on a stream is ordered by the stream; it "
                       "takes no async dependencies and gives no token");
  return verifyGather(*this, llvm::cast<ShapedType>(getSource().getType()),
                      getIndices().getType(), getDest().getType(),
                      getAlignmentAttr());
}

/// The rules sort_unique and sort_unique_into share. `uniqueHoldsAll`: the
/// unique buffer must have room for every index (buffer form) rather than at
/// most that many values (tensor form).
static LogicalResult verifySortUnique(Operation *op, ShapedType indices,
                                      ShapedType unique, ShapedType inverse,
                                      bool uniqueHoldsAll) {
  if (unique.getElementType() != indices.getElementType())
    return op->emitOpError("expected unique values of the indices' element "
                           "type ")
           << indices.getElementType() << ", but got "
           << unique.getElementType();
  if (!compatible(inverse.getDimSize(0), indices.getDimSize(0)))
    return op->emitOpError("expected one inverse entry per index, but got ")
           << formatSize(inverse.getDimSize(0)) << " for "
           << formatSize(indices.getDimSize(0)) << " indices";
  if (unique.isDynamicDim(0) || indices.isDynamicDim(0))
    return success();
  if (uniqueHoldsAll && unique.getDimSize(0) < indices.getDimSize(0))
    return op->emitOpError("expected room for as many unique values as there "
                           "are indices, but got ")
           << unique.getDimSize(0) << " for " << indices.getDimSize(0)
           << " indices";
  if (!uniqueHoldsAll && unique.getDimSize(0) > indices.getDimSize(0))
    return op->emitOpError("expected at most as many unique values as "
                           "indices, but got ")
           << unique.getDimSize(0) << " for " << indices.getDimSize(0)
           << " indices";
  return success();
}

LogicalResult SortUniqueOp::verify() {
  return verifySortUnique(*this, getIndices().getType(), getUnique().getType(),
                          getInverse().getType(), /*uniqueHoldsAll=*/false);
}

TableType GatherIntoOp::getSourceTable() {
  if (auto table = llvm::dyn_cast<TableType>(getSource().getType()))
    return table;
  auto buffer = llvm::cast<MemRefType>(getSource().getType());
  return TableType::get(getContext(), buffer.getShape(),
                        buffer.getElementType(), Placement::Device);
}

LogicalResult SortUniqueIntoOp::verify() {
  return verifySortUnique(*this, getIndices().getType(), getUnique().getType(),
                          getInverse().getType(), /*uniqueHoldsAll=*/true);
}

OpFoldResult ToDeviceOp::fold(FoldAdaptor) {
  // Moving a value that is already on the device moves nothing.
  if (getInput().getDefiningOp<ToDeviceOp>())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Family 2: MiniCache
//===----------------------------------------------------------------------===//

/// Checks a per-token tensor (`[..., T]`, element type `element`) against
/// `[..., T, H]` states.
static LogicalResult verifyPerToken(Operation *op, StringRef what,
                                    ShapedType states, ShapedType perToken,
                                    Type element) {
  ArrayRef<int64_t> tokens = states.getShape().drop_back();
  bool matches = perToken.getRank() == int64_t(tokens.size()) &&
                 perToken.getElementType() == element;
  for (int64_t d = 0; matches && d < perToken.getRank(); ++d)
    matches = compatible(perToken.getDimSize(d), tokens[d]);
  if (matches)
    return success();
  InFlightDiagnostic diag = op->emitOpError("expected one ")
                            << what << " per token, of type [";
  llvm::interleave(
      tokens, diag, [&](int64_t size) { diag << formatSize(size); }, ", ");
  return diag << "] x " << element << ", but got " << perToken;
}

/// Checks that two per-token tensors (the magnitudes and the retention
/// mask) can have the same sizes.
static LogicalResult verifySameTokens(Operation *op, ShapedType magnitude,
                                      ShapedType retained) {
  for (int64_t d = 0; d < magnitude.getRank(); ++d)
    if (!compatible(magnitude.getDimSize(d), retained.getDimSize(d)))
      return op->emitOpError("expected as many magnitudes as retention bits, "
                             "but got ")
             << magnitude << " and " << retained;
  return success();
}

/// Checks `[..., T, H]` states: a token axis and a hidden axis.
static LogicalResult verifyStates(Operation *op, StringRef what,
                                  ShapedType states) {
  if (states.getRank() < 2)
    return op->emitOpError("expected ")
           << what << " of rank 2 or more ([..., tokens, hidden]), but got "
           << states;
  return success();
}

LogicalResult MergeLayersOp::verify() {
  ShapedType states = getPrevious().getType();
  if (failed(verifyStates(*this, "states", states)) ||
      failed(verifyPerToken(*this, "magnitude", states,
                            getPreviousMagnitude().getType(),
                            states.getElementType())))
    return failure();
  if (failed(verifyPerToken(*this, "retention bit", states,
                            getRetained().getType(),
                            IntegerType::get(getContext(), 1))))
    return failure();
  return verifySameTokens(*this, getPreviousMagnitude().getType(),
                          getRetained().getType());
}

LogicalResult RestoreLayerOp::verify() {
  ShapedType states = getDirection().getType();
  if (failed(verifyStates(*this, "directions", states)) ||
      failed(verifyPerToken(*this, "magnitude", states,
                            getMagnitude().getType(), states.getElementType())))
    return failure();
  if (failed(verifyPerToken(*this, "retention bit", states,
                            getRetained().getType(),
                            IntegerType::get(getContext(), 1))))
    return failure();
  return verifySameTokens(*this, getMagnitude().getType(),
                          getRetained().getType());
}

//===----------------------------------------------------------------------===//
// Family 3: loss-ranked batches
//===----------------------------------------------------------------------===//

/// floor(delta * N), computed in double precision as the authors' Python
/// code does (`int(delta * n)`).
static int64_t numSelected(double delta, int64_t numBatches) {
  return static_cast<int64_t>(std::floor(delta * double(numBatches)));
}

LogicalResult SelectHardestOp::verify() {
  if (getDelta().has_value() == bool(getDynamicDelta()))
    return emitOpError("expected delta either as an attribute (`delta = "
                       "0.5`) or as an f64 operand, not ")
           << (getDelta() ? "both" : "neither");
  if (!getDelta())
    return success(); // known at run time; the lowering checks it
  double delta = getDelta()->convertToDouble();
  if (!(delta > 0.0 && delta <= 1.0))
    return emitOpError("expected delta in (0, 1], but got ")
           << formatNumber(delta);
  ShapedType losses = getLosses().getType();
  if (losses.isDynamicDim(0))
    return success();
  int64_t numBatches = losses.getDimSize(0);
  int64_t count = numSelected(delta, numBatches);
  if (count < 1)
    return emitOpError("delta = ")
           << formatNumber(delta) << " selects no batch out of " << numBatches;
  ShapedType selected = getSelected().getType();
  if (!compatible(selected.getDimSize(0), count))
    return emitOpError("expected floor(delta * N) = ")
           << count << " selected batches, but got " << selected;
  return success();
}

/// The selection rule of SelectHardestOp's description, for folding.
static SmallVector<int64_t> selectHardest(ArrayRef<double> losses,
                                          int64_t count) {
  auto harder = [&](int64_t a, int64_t b) {
    double la = losses[a], lb = losses[b];
    if (std::isnan(la) != std::isnan(lb))
      return std::isnan(la);
    if (!std::isnan(la) && la != lb)
      return la > lb;
    return a < b;
  };
  SmallVector<int64_t> order(losses.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), harder);
  order.resize(count);
  llvm::sort(order);
  return order;
}

OpFoldResult SelectHardestOp::fold(FoldAdaptor adaptor) {
  // A run-time delta that turns out constant becomes the attribute (in
  // place), so the folds below and the verifier see it.
  if (auto constant =
          llvm::dyn_cast_if_present<FloatAttr>(adaptor.getDynamicDelta())) {
    setDeltaAttr(FloatAttr::get(Float64Type::get(getContext()),
                                constant.getValueAsDouble()));
    getDynamicDeltaMutable().clear();
    return getSelected();
  }
  if (!getDelta())
    return {};
  auto resultType = llvm::cast<RankedTensorType>(getSelected().getType());
  ShapedType lossesType = getLosses().getType();
  if (!resultType.hasStaticShape() || lossesType.isDynamicDim(0))
    return {};
  int64_t numBatches = lossesType.getDimSize(0);
  int64_t count = resultType.getDimSize(0);
  SmallVector<int64_t> chosen;
  if (auto losses =
          llvm::dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getLosses())) {
    SmallVector<double> values;
    for (const APFloat &value : losses.getValues<APFloat>())
      values.push_back(value.convertToDouble());
    chosen = selectHardest(values, count);
  } else if (count == numBatches) {
    // delta = 1 keeps every batch whatever the losses are.
    chosen.resize(numBatches);
    std::iota(chosen.begin(), chosen.end(), 0);
  } else {
    return {};
  }
  Type elementType = resultType.getElementType();
  unsigned width = elementType.isIndex() ? IndexType::kInternalStorageBitWidth
                                         : elementType.getIntOrFloatBitWidth();
  SmallVector<APInt> values;
  for (int64_t index : chosen)
    values.emplace_back(width, index);
  return DenseElementsAttr::get(resultType, values);
}

//===----------------------------------------------------------------------===//
// Family 4: MaM
//===----------------------------------------------------------------------===//

/// Checks `[B, D, K]` conditional logits, of element type `element`, and
/// the per-sample variables against a batch of `batch` (also the per-sample
/// result or marginals, named `rows`).
static LogicalResult verifyConditional(Operation *op, ShapedType logits,
                                       ShapedType variable, int64_t batch,
                                       Type element, StringRef rows) {
  if (logits.getRank() != 3)
    return op->emitOpError("expected conditional logits of rank 3 [batch, "
                           "variables, classes], but got ")
           << logits;
  if (logits.getElementType() != element)
    return op->emitOpError("expected conditional logits of element type ")
           << element << " like the " << rows << ", but got "
           << logits.getElementType();
  if (logits.getDimSize(2) == 0)
    return op->emitOpError("expected at least one class, but got ") << logits;
  if (!compatible(logits.getDimSize(0), batch) ||
      !compatible(variable.getDimSize(0), batch) ||
      !compatible(logits.getDimSize(0), variable.getDimSize(0)))
    return op->emitOpError(
               "expected the same batch size for every operand, but "
               "got ")
           << formatSize(batch) << " " << rows << ", "
           << formatSize(logits.getDimSize(0)) << " logit rows and "
           << formatSize(variable.getDimSize(0)) << " variables";
  return success();
}

LogicalResult ConditionalNllOp::verify() {
  ShapedType result = getResult().getType();
  return verifyConditional(*this, getConditionalLogits().getType(),
                           getVariable().getType(), result.getDimSize(0),
                           result.getElementType(), "results");
}

LogicalResult MamResidualOp::verify() {
  ShapedType marginal = getMarginalCurrent().getType();
  return verifyConditional(*this, getConditionalLogits().getType(),
                           getVariable().getType(), marginal.getDimSize(0),
                           marginal.getElementType(), "marginals");
}

LogicalResult MamPenaltyOp::verify() {
  if (getNumVars() < 1)
    return emitOpError("expected num_vars >= 1, but got ") << getNumVars();
  ShapedType residual = getResidual().getType();
  if (residual.getElementType() != getMarginalEmpty().getType())
    return emitOpError("expected residuals of element type ")
           << getMarginalEmpty().getType() << ", but got " << residual;
  if (residual.getDimSize(0) == 0)
    return emitOpError("expected a non-empty residual batch (the penalty "
                       "averages over it)");
  return success();
}

OpFoldResult MamPenaltyOp::fold(FoldAdaptor adaptor) {
  auto residual =
      llvm::dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getResidual());
  auto empty = llvm::dyn_cast_if_present<FloatAttr>(adaptor.getMarginalEmpty());
  if (!residual || !empty || residual.getNumElements() == 0)
    return {};
  double sumSquares = 0.0;
  for (const APFloat &r : residual.getValues<APFloat>())
    sumSquares += r.convertToDouble() * r.convertToDouble();
  double offset = empty.getValueAsDouble() - getLogZ().convertToDouble();
  double penalty =
      double(getNumVars()) * sumSquares / double(residual.getNumElements()) +
      offset * offset;
  return FloatAttr::get(getResult().getType(), penalty);
}

#define GET_OP_CLASSES
#include "sluice/Dialect/Sluice/IR/SluiceOps.cpp.inc"
