//===- Sort.cpp - sorting and de-duplicating gather indices ---------------===//
//
// Gather indices are row numbers: non-negative and below the table's row
// count, so a least-significant-digit radix sort over just the bits the
// largest index needs is linear and several times faster than a comparison
// sort. Anything else (a negative index, which the gather then reports) falls
// back to a stable comparison sort.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/Profile.h"
#include "sluice/Runtime/Runtime.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <vector>

namespace {

struct Entry {
  uint64_t key;
  int64_t position;
};

constexpr int kDigitBits = 11;
constexpr size_t kBuckets = size_t(1) << kDigitBits;

/// Stable LSD radix sort of `entries` by key, using `scratch` as the second
/// buffer; `keyBits` bits are significant.
void radixSort(std::vector<Entry> &entries, std::vector<Entry> &scratch,
               int keyBits) {
  for (int shift = 0; shift < keyBits; shift += kDigitBits) {
    std::array<size_t, kBuckets> counts{};
    for (const Entry &entry : entries)
      ++counts[(entry.key >> shift) & (kBuckets - 1)];
    size_t offset = 0;
    for (size_t &count : counts) {
      size_t here = count;
      count = offset;
      offset += here;
    }
    for (const Entry &entry : entries)
      scratch[counts[(entry.key >> shift) & (kBuckets - 1)]++] = entry;
    entries.swap(scratch);
  }
}

} // namespace

extern "C" int64_t sluice_rt_sort_unique(intptr_t indicesPtr, int64_t count,
                                         intptr_t uniquePtr,
                                         intptr_t inversePtr) {
  sluice::rt::ProfileScope profile(__func__);
  if (count <= 0)
    return 0;
  const auto *indices = reinterpret_cast<const int64_t *>(indicesPtr);
  auto *unique = reinterpret_cast<int64_t *>(uniquePtr);
  auto *inverse = reinterpret_cast<int64_t *>(inversePtr);

  std::vector<Entry> entries(count), scratch(count);
  int64_t smallest = indices[0], largest = indices[0];
  for (int64_t i = 0; i < count; ++i) {
    entries[i] = {uint64_t(indices[i]), i};
    smallest = std::min(smallest, indices[i]);
    largest = std::max(largest, indices[i]);
  }
  if (smallest >= 0) {
    int keyBits = 64 - __builtin_clzll(uint64_t(largest) | 1);
    radixSort(entries, scratch, keyBits);
  } else {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry &a, const Entry &b) {
                       return int64_t(a.key) < int64_t(b.key);
                     });
  }

  int64_t distinct = 0;
  for (const Entry &entry : entries) {
    int64_t value = int64_t(entry.key);
    if (distinct == 0 || unique[distinct - 1] != value)
      unique[distinct++] = value;
    inverse[entry.position] = distinct - 1;
  }
  return distinct;
}
