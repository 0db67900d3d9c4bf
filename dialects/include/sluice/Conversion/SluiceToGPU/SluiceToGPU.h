//===- SluiceToGPU.h - sluice to gpu.launch kernels -------------*- C++ -*-===//

#ifndef SLUICE_CONVERSION_SLUICETOGPU_SLUICETOGPU_H
#define SLUICE_CONVERSION_SLUICETOGPU_SLUICETOGPU_H

#include "sluice/Conversion/TableTypeConverter.h"

namespace mlir::sluice {

/// Patterns lowering sluice.make_table and sluice.gather_into to gpu ops.
void populateSluiceToGPUPatterns(const TypeConverter &converter,
                                 RewritePatternSet &patterns,
                                 int64_t maxThreads, int64_t blockSize);

} // namespace mlir::sluice

#endif // SLUICE_CONVERSION_SLUICETOGPU_SLUICETOGPU_H
