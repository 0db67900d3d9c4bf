//===- MemrefCopy.h - memref.copy between strided buffers -------*- C++ -*-===//

#ifndef SLUICE_RUNTIME_MEMREFCOPY_H
#define SLUICE_RUNTIME_MEMREFCOPY_H

#include <cstdint>

/// An unranked memref as the LLVM lowering passes it: the rank and a pointer
/// to the ranked descriptor.
struct SluiceUnrankedMemRef {
  int64_t rank;
  void *descriptor;
};

extern "C" {
/// Copies `source` into `target` (same rank and sizes, any strides and
/// offsets), element by element of `elementSize` bytes; what `memref.copy`
/// calls for non-identity layouts.
void memrefCopy(int64_t elementSize, SluiceUnrankedMemRef *source,
                SluiceUnrankedMemRef *target);
}

#endif // SLUICE_RUNTIME_MEMREFCOPY_H
