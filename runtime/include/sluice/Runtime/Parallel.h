//===- Parallel.h - the runtime's thread pool -------------------*- C++ -*-===//

#ifndef SLUICE_RUNTIME_PARALLEL_H
#define SLUICE_RUNTIME_PARALLEL_H

#include <cstdint>
#include <functional>
#include <string>

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

/// The most threads SLUICE_NUM_THREADS may ask for.
constexpr int kMaxThreads = 1024;

/// The threads for SLUICE_NUM_THREADS=`value` (null when it is unset) on a
/// machine with `available` hardware threads: a positive integer in plain
/// digits, at most kMaxThreads. Anything else leaves `warning` saying what
/// is used instead (`SLUICE_NUM_THREADS=abc is not a positive integer; using
/// 16 threads`; `SLUICE_NUM_THREADS=100000 is more than 1024; using 1024
/// threads`), else clears it.
int threadsFromEnvironment(const char *value, int available,
                           std::string &warning);

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
