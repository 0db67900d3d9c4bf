//===- Sort.cpp - sorting and de-duplicating gather indices ---------------===//

#include "sluice/Runtime/Runtime.h"

#include <algorithm>
#include <numeric>
#include <vector>

/// Sorts the positions by value (stable, so equal values keep their order),
/// then walks them once, numbering distinct values.
extern "C" int64_t sluice_rt_sort_unique(intptr_t indicesPtr, int64_t count,
                                         intptr_t uniquePtr,
                                         intptr_t inversePtr) {
  const auto *indices = reinterpret_cast<const int64_t *>(indicesPtr);
  auto *unique = reinterpret_cast<int64_t *>(uniquePtr);
  auto *inverse = reinterpret_cast<int64_t *>(inversePtr);
  std::vector<int64_t> order(std::max<int64_t>(count, 0));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return indices[a] < indices[b];
  });
  int64_t distinct = 0;
  for (int64_t k = 0; k < count; ++k) {
    int64_t value = indices[order[k]];
    if (distinct == 0 || unique[distinct - 1] != value)
      unique[distinct++] = value;
    inverse[order[k]] = distinct - 1;
  }
  return distinct;
}
