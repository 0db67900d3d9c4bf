//===- Sort.cpp - sorting and de-duplicating gather indices ---------------===//
//
// Gather indices are row numbers: non-negative and below the table's row
// count, so a least-significant-digit radix sort over just the bits the
// largest index needs is linear and several times faster than a comparison
// sort. Anything else (a negative index, which the gather then reports) falls
// back to a stable comparison sort.
//
// A training loop sorts a batch's ids every step: the two entry buffers are
// kept per thread and reused, because touching fresh pages for them cost as
// much as the sort itself (20 of 50 ms for a million ids on the 2-core VM).
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/Parallel.h"
#include "sluice/Runtime/Profile.h"
#include "sluice/Runtime/Runtime.h"

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

namespace {

struct Entry {
  uint64_t key;
  int64_t position;
};

constexpr int kDigitBits = 11;
constexpr size_t kBuckets = size_t(1) << kDigitBits;

/// Entries below which the radix sort stays on one thread.
constexpr int64_t kParallelSortEntries = 65536;

/// `n` entries cut into one slice per thread (one slice below
/// kParallelSortEntries); `run(body)` calls body(p, begin, end) for every
/// slice, in parallel.
struct Slices {
  int64_t n, parts, size;
  explicit Slices(int64_t n)
      : n(n), parts(n < kParallelSortEntries ? 1 : sluice::rt::numThreads()),
        size((n + parts - 1) / parts) {}
  template <typename Body> void run(Body &&body) const {
    if (parts == 1) {
      body(int64_t(0), int64_t(0), n);
      return;
    }
    sluice::rt::parallelFor(parts, 1, [&](int64_t begin, int64_t end) {
      for (int64_t p = begin; p < end; ++p)
        body(p, p * size, std::min(n, (p + 1) * size));
    });
  }
};

/// Stable LSD radix sort of the `n` entries at `entries` by key, through
/// `scratch`; `keyBits` bits are significant. Returns the buffer that holds
/// the result. On the thread pool, each of `parts` contiguous slices counts
/// its digits, each slice's share of a bucket goes after the shares of the
/// slices before it (so equal digits keep their order), and the slices
/// scatter in parallel.
Entry *radixSort(Entry *entries, Entry *scratch, int64_t n, int keyBits) {
  Slices slices(n);
  std::vector<std::array<size_t, kBuckets>> counts(slices.parts);
  for (int shift = 0; shift < keyBits; shift += kDigitBits) {
    auto digit = [&](const Entry &entry) {
      return (entry.key >> shift) & (kBuckets - 1);
    };
    slices.run([&](int64_t p, int64_t begin, int64_t end) {
      counts[p].fill(0);
      for (int64_t i = begin; i < end; ++i)
        ++counts[p][digit(entries[i])];
    });
    size_t offset = 0;
    for (size_t bucket = 0; bucket < kBuckets; ++bucket)
      for (int64_t p = 0; p < slices.parts; ++p) {
        size_t here = counts[p][bucket];
        counts[p][bucket] = offset;
        offset += here;
      }
    slices.run([&](int64_t p, int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i)
        scratch[counts[p][digit(entries[i])]++] = entries[i];
    });
    std::swap(entries, scratch);
  }
  return entries;
}

/// This thread's two entry buffers, grown to `n` entries and kept.
std::pair<Entry *, Entry *> entryBuffers(int64_t n) {
  thread_local std::unique_ptr<Entry[]> first, second;
  thread_local int64_t capacity = 0;
  if (capacity < n) {
    // Not value-initialized: every entry used is written first.
    first.reset(new Entry[n]);
    second.reset(new Entry[n]);
    capacity = n;
  }
  return {first.get(), second.get()};
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

  auto [entries, scratch] = entryBuffers(count);
  // Large inputs are cut into one slice per thread for the passes around
  // the sort too: filling the entries (with each slice's extremes), and
  // numbering the distinct values (each slice counts where the value
  // changes, then writes from the count of the slices before it).
  Slices slices(count);
  int64_t parts = slices.parts;
  std::vector<int64_t> smallestOf(parts), largestOf(parts);
  slices.run([&](int64_t p, int64_t begin, int64_t end) {
    int64_t smallest = indices[begin], largest = indices[begin];
    for (int64_t i = begin; i < end; ++i) {
      entries[i] = {uint64_t(indices[i]), i};
      smallest = std::min(smallest, indices[i]);
      largest = std::max(largest, indices[i]);
    }
    smallestOf[p] = smallest;
    largestOf[p] = largest;
  });
  int64_t smallest = *std::min_element(smallestOf.begin(), smallestOf.end());
  int64_t largest = *std::max_element(largestOf.begin(), largestOf.end());
  Entry *sorted = entries;
  if (smallest >= 0) {
    int keyBits = 64 - __builtin_clzll(uint64_t(largest) | 1);
    sorted = radixSort(entries, scratch, count, keyBits);
  } else {
    std::stable_sort(entries, entries + count,
                     [](const Entry &a, const Entry &b) {
                       return int64_t(a.key) < int64_t(b.key);
                     });
  }

  // A position starts a new value where its key differs from the one before.
  auto startsValue = [&](int64_t i) {
    return i == 0 || sorted[i].key != sorted[i - 1].key;
  };
  std::vector<int64_t> startsBefore(parts + 1, 0);
  slices.run([&](int64_t p, int64_t begin, int64_t end) {
    int64_t starts = 0;
    for (int64_t i = begin; i < end; ++i)
      starts += startsValue(i);
    startsBefore[p + 1] = starts;
  });
  for (int64_t p = 0; p < parts; ++p)
    startsBefore[p + 1] += startsBefore[p];
  slices.run([&](int64_t p, int64_t begin, int64_t end) {
    int64_t distinct = startsBefore[p];
    for (int64_t i = begin; i < end; ++i) {
      if (startsValue(i))
        unique[distinct++] = int64_t(sorted[i].key);
      inverse[sorted[i].position] = distinct - 1;
    }
  });
  int64_t distinct = startsBefore[parts];
  return distinct;
}
