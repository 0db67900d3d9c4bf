//===- Parallel.h - the runtime's thread pool -------------------*- C++ -*-===//

#ifndef SLUICE_RUNTIME_PARALLEL_H
#define SLUICE_RUNTIME_PARALLEL_H

#include <cstdint>
#include <functional>

namespace sluice::rt {

/// Runs `body(begin, end)` over chunks of `[0, count)` of at most `grain`
/// items on the runtime's persistent thread pool (the calling thread takes
/// part), and returns when every chunk is done. The pool has
/// SLUICE_NUM_THREADS threads, else one per hardware thread. Calls from inside
/// a body run serially.
void parallelFor(int64_t count, int64_t grain,
                 const std::function<void(int64_t, int64_t)> &body);

/// The number of threads parallelFor uses, the caller included.
int numThreads();

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_PARALLEL_H
