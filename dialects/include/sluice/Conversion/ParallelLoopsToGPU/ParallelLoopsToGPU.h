//===- ParallelLoopsToGPU.h - tensor programs' loops as kernels -*- C++ -*-===//

#ifndef SLUICE_CONVERSION_PARALLELLOOPSTOGPU_PARALLELLOOPSTOGPU_H
#define SLUICE_CONVERSION_PARALLELLOOPSTOGPU_PARALLELLOOPSTOGPU_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::sluice {

/// What sluice-expand-kernel-math does to a kernel's math: powers as exp and
/// log, f32 functions as polynomials, abs/sqrt/fma/rounding as intrinsic
/// calls. Also used to run kernels on the host with the GPU's math.
void populateExpandKernelMathPatterns(RewritePatternSet &patterns);

} // namespace mlir::sluice

#endif // SLUICE_CONVERSION_PARALLELLOOPSTOGPU_PARALLELLOOPSTOGPU_H
