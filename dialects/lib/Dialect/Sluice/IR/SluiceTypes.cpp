//===- SluiceTypes.cpp - sluice types and attributes ----------------------===//

#include "sluice/Dialect/Sluice/IR/SluiceTypes.h"
#include "sluice/Dialect/Sluice/IR/SluiceDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::sluice;

#include "sluice/Dialect/Sluice/IR/SluiceEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "sluice/Dialect/Sluice/IR/SluiceAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "sluice/Dialect/Sluice/IR/SluiceTypes.cpp.inc"

void SluiceDialect::registerTypesAndAttributes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "sluice/Dialect/Sluice/IR/SluiceTypes.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "sluice/Dialect/Sluice/IR/SluiceAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// AlignmentAttr
//===----------------------------------------------------------------------===//

LogicalResult
AlignmentAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      AlignStrategy strategy, int64_t bytes) {
  // PCIe requests are at most 4 KiB (the largest max payload size); below 16
  // bytes no thread mapping changes the number of requests.
  if (bytes < 16 || bytes > 4096 || !llvm::isPowerOf2_64(bytes))
    return emitError() << "alignment must be a power of two between 16 and "
                          "4096 bytes, but got "
                       << bytes;
  return success();
}

bool AlignmentAttr::isUsefulFor(int64_t rowBytes) const {
  // When every row starts on a request boundary the naive mapping is already
  // aligned (tables are allocated on at least 4 KiB boundaries).
  if (rowBytes % getBytes() == 0)
    return false;
  switch (getStrategy()) {
  case AlignStrategy::Rotate:
    return rowBytes > getBytes();
  case AlignStrategy::Shift:
    return rowBytes >= 2 * getBytes();
  }
  llvm_unreachable("unknown alignment strategy");
}

//===----------------------------------------------------------------------===//
// TableType
//===----------------------------------------------------------------------===//

Type TableType::parse(AsmParser &parser) {
  SmallVector<int64_t> shape;
  Type elementType;
  if (parser.parseLess() ||
      parser.parseDimensionList(shape, /*allowDynamic=*/true,
                                /*withTrailingX=*/true))
    return {};
  SMLoc typeLoc = parser.getCurrentLocation();
  if (parser.parseType(elementType) || parser.parseComma())
    return {};
  SMLoc placementLoc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return {};
  std::optional<Placement> placement = symbolizePlacement(keyword);
  if (!placement) {
    parser.emitError(placementLoc,
                     "expected placement 'auto', 'device', 'host_zero_copy' "
                     "or 'host_staged', but got '")
        << keyword << "'";
    return {};
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<TableType>(typeLoc, parser.getContext(), shape,
                                      elementType, *placement);
}

void TableType::print(AsmPrinter &printer) const {
  printer << "<";
  printer.printDimensionList(getShape());
  printer << "x" << getElementType() << ", "
          << stringifyPlacement(getPlacement()) << ">";
}

LogicalResult TableType::verify(function_ref<InFlightDiagnostic()> emitError,
                                ArrayRef<int64_t> shape, Type elementType,
                                Placement placement) {
  if (shape.empty())
    return emitError() << "expected a table of rank at least 1 (rows, then "
                          "the row shape), but got rank 0";
  if (!llvm::isa<IntegerType, FloatType>(elementType))
    return emitError() << "expected integer or float table elements, but got "
                       << elementType;
  return success();
}

ShapedType TableType::cloneWith(std::optional<ArrayRef<int64_t>> shape,
                                Type elementType) const {
  return TableType::get(getContext(), shape.value_or(getShape()), elementType,
                        getPlacement());
}

TableType TableType::withPlacement(Placement placement) const {
  return TableType::get(getContext(), getShape(), getElementType(), placement);
}

std::optional<int64_t> TableType::getRowBytes() const {
  unsigned bits = getElementType().getIntOrFloatBitWidth();
  if (bits % 8 != 0 || ShapedType::isDynamicShape(getRowShape()))
    return std::nullopt;
  return ShapedType::getNumElements(getRowShape()) * (bits / 8);
}
