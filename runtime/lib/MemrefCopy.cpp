//===- MemrefCopy.cpp - memref.copy between strided buffers ---------------===//
//
// `memref.copy` between buffers whose layouts are not both the identity
// lowers (finalize-memref-to-llvm) to a call to `memrefCopy` with unranked
// descriptors; MLIR ships it in libmlir_c_runner_utils, which executables must
// not depend on, so the runtime provides it.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/MemrefCopy.h"
#include "sluice/Runtime/Profile.h"

#include <cstring>
#include <vector>

namespace {

/// The ranked descriptor an unranked one points at: allocated and aligned
/// pointers, offset, then `rank` sizes and `rank` strides (in elements).
struct Descriptor {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t sizesAndStrides[1];
};

} // namespace

extern "C" void memrefCopy(int64_t elementSize, SluiceUnrankedMemRef *source,
                           SluiceUnrankedMemRef *target) {
  sluice::rt::ProfileScope profile(__func__);
  int64_t rank = source->rank;
  auto *from = static_cast<Descriptor *>(source->descriptor);
  auto *to = static_cast<Descriptor *>(target->descriptor);
  const int64_t *sizes = from->sizesAndStrides;
  const int64_t *fromStrides = from->sizesAndStrides + rank;
  const int64_t *toStrides = to->sizesAndStrides + rank;
  char *fromBase = from->aligned + from->offset * elementSize;
  char *toBase = to->aligned + to->offset * elementSize;
  if (rank == 0) {
    std::memcpy(toBase, fromBase, elementSize);
    return;
  }
  for (int64_t d = 0; d < rank; ++d)
    if (sizes[d] == 0)
      return;
  // Copy rows of the innermost dimension; contiguous rows in one memcpy.
  int64_t inner = sizes[rank - 1];
  bool contiguous = fromStrides[rank - 1] == 1 && toStrides[rank - 1] == 1;
  std::vector<int64_t> at(rank, 0);
  while (true) {
    int64_t fromOffset = 0, toOffset = 0;
    for (int64_t d = 0; d + 1 < rank; ++d) {
      fromOffset += at[d] * fromStrides[d];
      toOffset += at[d] * toStrides[d];
    }
    char *src = fromBase + fromOffset * elementSize;
    char *dst = toBase + toOffset * elementSize;
    if (contiguous) {
      std::memmove(dst, src, inner * elementSize);
    } else {
      for (int64_t i = 0; i < inner; ++i)
        std::memmove(dst + i * toStrides[rank - 1] * elementSize,
                     src + i * fromStrides[rank - 1] * elementSize,
                     elementSize);
    }
    int64_t d = rank - 2;
    while (d >= 0 && ++at[d] == sizes[d])
      at[d--] = 0;
    if (d < 0)
      return;
  }
}
