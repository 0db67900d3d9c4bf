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

extern "C" {
/// The body of a parallel loop that sluice-convert-parallel-loops-to-runtime
/// outlined: runs iterations [begin, end) with its captured values read from
/// `context`.
typedef void (*sluice_rt_parallel_body)(void *context, int64_t begin,
                                        int64_t end);

/// Runs `body(context, begin, end)` over chunks of the iterations [0, count)
/// on the thread pool; what an outermost scf.parallel loop of generated code
/// becomes. `cost` estimates the operations one iteration executes: a loop
/// whose whole work is too small to repay waking the pool runs on the calling
/// thread, and chunks are sized so that each repays its scheduling.
void sluice_rt_parallel_for(int64_t count, int64_t cost,
                            sluice_rt_parallel_body body, void *context);
}

#endif // SLUICE_RUNTIME_PARALLEL_H
