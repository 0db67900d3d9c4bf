//===- Gather.cpp - CPU row gathers ---------------------------------------===//
//
// Random row gathers from tables far larger than the caches are bound by
// memory latency, not bandwidth: each row is a cache miss (or several). The
// loop therefore prefetches the rows a fixed distance ahead so that many
// misses are in flight per core, and copies fixed-size rows with inlined
// copies rather than a call per row.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/Gather.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Parallel.h"
#include "sluice/Runtime/Profile.h"
#include "sluice/Runtime/Runtime.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace sluice::rt {
namespace {

/// How many 64-byte lines of a row of `rowBytes` bytes are prefetched: its
/// first `maxLines` (longer rows are streamed well by the hardware
/// prefetcher once started).
int64_t linesPrefetched(int64_t rowBytes, int64_t maxLines) {
  return std::min<int64_t>((std::max<int64_t>(rowBytes, 0) + 63) / 64,
                           std::max<int64_t>(maxLines, 1));
}

/// Prefetches the first `lines` cache lines of the row.
inline void prefetchRow(const char *row, int64_t lines) {
  for (int64_t line = 0; line < lines; ++line)
    __builtin_prefetch(row + line * 64, /*rw=*/0, /*locality=*/0);
}

template <int64_t RowBytes> void copyFixed(char *dst, const char *src) {
  std::memcpy(dst, src, RowBytes);
}

/// Copies a row with non-temporal stores: the gathered batch is written once
/// and read later by someone else, so fetching its lines into the cache
/// first (as ordinary stores do) would only double the memory traffic.
template <int64_t RowBytes> void streamFixed(char *dst, const char *src) {
#if defined(__x86_64__)
  for (int64_t offset = 0; offset < RowBytes; offset += 16)
    _mm_stream_si128(
        reinterpret_cast<__m128i *>(dst + offset),
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + offset)));
#else
  std::memcpy(dst, src, RowBytes);
#endif
}

void streamRow(char *dst, const char *src, int64_t rowBytes) {
#if defined(__x86_64__)
  for (int64_t offset = 0; offset < rowBytes; offset += 16)
    _mm_stream_si128(
        reinterpret_cast<__m128i *>(dst + offset),
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + offset)));
#else
  std::memcpy(dst, src, rowBytes);
#endif
}

using RowCopy = void (*)(char *, const char *);

RowCopy streamingCopy(int64_t rowBytes) {
  switch (rowBytes) {
  case 16:
    return streamFixed<16>;
  case 32:
    return streamFixed<32>;
  case 64:
    return streamFixed<64>;
  case 128:
    return streamFixed<128>;
  case 256:
    return streamFixed<256>;
  case 400:
    return streamFixed<400>;
  case 512:
    return streamFixed<512>;
  case 1024:
    return streamFixed<1024>;
  default:
    return nullptr;
  }
}

/// Outputs larger than this do not stay in the last-level cache, so they are
/// written with non-temporal stores.
constexpr int64_t kStreamingThreshold = 8 << 20;

RowCopy fixedCopy(int64_t rowBytes) {
  switch (rowBytes) {
  case 4:
    return copyFixed<4>;
  case 8:
    return copyFixed<8>;
  case 16:
    return copyFixed<16>;
  case 32:
    return copyFixed<32>;
  case 64:
    return copyFixed<64>;
  case 128:
    return copyFixed<128>;
  case 256:
    return copyFixed<256>;
  case 400:
    return copyFixed<400>;
  case 512:
    return copyFixed<512>;
  default:
    return nullptr;
  }
}

} // namespace

GatherTuning &gatherTuning() {
  static GatherTuning tuning;
  return tuning;
}

int64_t prefetchDistance(const GatherTuning &tuning, int64_t rowBytes) {
  if (tuning.prefetchRows != GatherTuning::kByBytes)
    return std::max<int64_t>(tuning.prefetchRows, 0);
  if (tuning.prefetchBytes <= 0)
    return 0;
  // Enough misses in flight to cover DRAM latency, and no more: prefetching
  // far ahead evicts rows before they are copied.
  int64_t lines =
      std::max<int64_t>(linesPrefetched(rowBytes, tuning.prefetchLines), 1);
  return std::clamp<int64_t>(tuning.prefetchBytes / (lines * 64), 1, 16);
}

bool gatherRows(const void *tablePtr, int64_t numRows, int64_t rowBytes,
                const int64_t *indices, int64_t count, void *outPtr,
                std::string &error) {
  if (count <= 0)
    return true;
  const char *table = static_cast<const char *>(tablePtr);
  char *out = static_cast<char *>(outPtr);
  // Non-temporal stores need 16-byte aligned destinations: every row is when
  // the output is and rows are a multiple of 16 bytes.
  const GatherTuning tuning = gatherTuning();
  int64_t distance = prefetchDistance(tuning, rowBytes);
  int64_t lines = linesPrefetched(rowBytes, tuning.prefetchLines);
  bool streaming =
      tuning.streamingStores && count * rowBytes >= kStreamingThreshold &&
      rowBytes % 16 == 0 && reinterpret_cast<uintptr_t>(outPtr) % 16 == 0;
  RowCopy copy = streaming ? streamingCopy(rowBytes) : fixedCopy(rowBytes);
  std::atomic<int64_t> firstBad{count};

  // Chunks of about 64 KiB of output each balance the pool's threads without
  // making scheduling costly.
  int64_t grain =
      std::max<int64_t>(64, (64 << 10) / std::max<int64_t>(rowBytes, 1));
  parallelFor(count, grain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < std::min(end, begin + distance); ++i)
      if (indices[i] >= 0 && indices[i] < numRows)
        prefetchRow(table + indices[i] * rowBytes, lines);
    for (int64_t i = begin; i < end; ++i) {
      int64_t ahead = i + distance;
      if (distance > 0 && ahead < end && indices[ahead] >= 0 &&
          indices[ahead] < numRows)
        prefetchRow(table + indices[ahead] * rowBytes, lines);
      int64_t row = indices[i];
      if (row < 0 || row >= numRows) {
        int64_t seen = firstBad.load();
        while (i < seen && !firstBad.compare_exchange_weak(seen, i)) {
        }
        return;
      }
      if (copy)
        copy(out + i * rowBytes, table + row * rowBytes);
      else if (streaming)
        streamRow(out + i * rowBytes, table + row * rowBytes, rowBytes);
      else
        std::memcpy(out + i * rowBytes, table + row * rowBytes, rowBytes);
    }
#if defined(__x86_64__)
    // Non-temporal stores are weakly ordered: make them visible before the
    // caller reads the output.
    if (streaming)
      _mm_sfence();
#endif
  });

  int64_t bad = firstBad.load();
  if (bad < count) {
    error = "gather index " + std::to_string(indices[bad]) + " at position " +
            std::to_string(bad) + " is out of range for a table of " +
            std::to_string(numRows) + " rows";
    return false;
  }
  return true;
}

} // namespace sluice::rt

extern "C" int32_t sluice_rt_gather_rows(const void *table, int64_t numRows,
                                         int64_t rowBytes,
                                         const int64_t *indices, int64_t count,
                                         void *out) {
  sluice::rt::ProfileScope profile(__func__);
  sluice::rt::clearError();
  std::string error;
  if (sluice::rt::gatherRows(table, numRows, rowBytes, indices, count, out,
                             error))
    return 0;
  sluice::rt::reportError(error);
  return -1;
}

extern "C" void sluice_rt_cpu_gather(intptr_t table, int64_t numRows,
                                     int64_t rowBytes, intptr_t indices,
                                     int64_t count, intptr_t out,
                                     intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  std::string error;
  if (!sluice::rt::gatherRows(reinterpret_cast<const void *>(table), numRows,
                              rowBytes,
                              reinterpret_cast<const int64_t *>(indices), count,
                              reinterpret_cast<void *>(out), error))
    sluice::rt::fatalError(
        (where ? std::string(reinterpret_cast<const char *>(where)) + ": "
               : std::string()) +
        error);
}
