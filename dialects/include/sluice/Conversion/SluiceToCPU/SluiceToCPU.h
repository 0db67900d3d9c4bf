//===- SluiceToCPU.h - sluice to runtime calls ------------------*- C++ -*-===//

#ifndef SLUICE_CONVERSION_SLUICETOCPU_SLUICETOCPU_H
#define SLUICE_CONVERSION_SLUICETOCPU_SLUICETOCPU_H

#include "sluice/Conversion/TableTypeConverter.h"

namespace mlir::sluice {

/// Patterns lowering sluice.make_table and sluice.gather_into to host code
/// and libsluice_rt calls.
void populateSluiceToCPUPatterns(const TypeConverter &converter,
                                 RewritePatternSet &patterns);

} // namespace mlir::sluice

#endif // SLUICE_CONVERSION_SLUICETOCPU_SLUICETOCPU_H
