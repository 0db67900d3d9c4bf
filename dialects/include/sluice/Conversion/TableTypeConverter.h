//===- TableTypeConverter.h - tables to memrefs -----------------*- C++ -*-===//

#ifndef SLUICE_CONVERSION_TABLETYPECONVERTER_H
#define SLUICE_CONVERSION_TABLETYPECONVERTER_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::sluice {

/// Maps `!sluice.table<shape x T, P>` to `memref<shape x T>`, the buffer that
/// holds the table, for every target: where the rows live is decided by how
/// the buffer was made, not by its type.
class TableTypeConverter : public TypeConverter {
public:
  TableTypeConverter();
};

/// Adds the patterns that convert function signatures, calls and returns
/// through `converter`, and marks those ops legal once converted.
void populateTableSignatureConversion(const TypeConverter &converter,
                                      RewritePatternSet &patterns,
                                      ConversionTarget &target);

} // namespace mlir::sluice

#endif // SLUICE_CONVERSION_TABLETYPECONVERTER_H
