//===- Parallel.cpp - the runtime's thread pool ---------------------------===//

#include "sluice/Runtime/Parallel.h"
#include "sluice/Runtime/Profile.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace sluice::rt {
namespace {

thread_local bool insideParallelBody = false;

/// Persistent workers, so that a gather per batch does not pay for thread
/// creation. One job runs at a time; the caller works on it too.
class ThreadPool {
public:
  explicit ThreadPool(int threads) {
    for (int i = 1; i < threads; ++i) {
      try {
        workers.emplace_back([this] { workerLoop(); });
      } catch (const std::system_error &error) {
        // Out of threads or of memory for their stacks: fewer threads
        // compute the same results.
        std::fprintf(stderr,
                     "sluice: warning: cannot start thread %d of %d (%s); "
                     "using %d %s\n",
                     i + 1, threads, error.what(), i,
                     i == 1 ? "thread" : "threads");
        break;
      }
    }
  }

  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    for (std::thread &worker : workers)
      worker.join();
  }

  int size() const { return static_cast<int>(workers.size()) + 1; }

  void run(int64_t count, int64_t grain,
           const std::function<void(int64_t, int64_t)> &body) {
    std::lock_guard<std::mutex> submit(submitMutex);
    {
      std::lock_guard<std::mutex> lock(mutex);
      job = &body;
      jobCount = count;
      jobGrain = grain;
      nextItem.store(0);
      busyWorkers = static_cast<int>(workers.size());
      ++generation;
    }
    wake.notify_all();
    work();
    std::exception_ptr thrown;
    {
      std::unique_lock<std::mutex> lock(mutex);
      done.wait(lock, [this] { return busyWorkers == 0; });
      job = nullptr;
      std::swap(thrown, failure);
    }
    // What a body threw on any thread (say std::bad_alloc in the sampler)
    // reaches the caller, once every thread has left the body.
    if (thrown)
      std::rethrow_exception(thrown);
  }

private:
  void work() {
    insideParallelBody = true;
    for (;;) {
      int64_t begin = nextItem.fetch_add(jobGrain);
      if (begin >= jobCount)
        break;
      try {
        (*job)(begin, std::min(jobCount, begin + jobGrain));
      } catch (...) {
        // The first exception wins; the rest of the job is skipped. An
        // exception leaving a worker thread would end the process.
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure)
          failure = std::current_exception();
        nextItem.store(jobCount);
      }
    }
    insideParallelBody = false;
  }

  void workerLoop() {
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return stopping || generation != seen; });
        if (stopping)
          return;
        seen = generation;
      }
      work();
      {
        std::lock_guard<std::mutex> lock(mutex);
        --busyWorkers;
      }
      done.notify_one();
    }
  }

  std::vector<std::thread> workers;
  std::mutex submitMutex;
  std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable done;
  const std::function<void(int64_t, int64_t)> *job = nullptr;
  int64_t jobCount = 0;
  int64_t jobGrain = 1;
  std::atomic<int64_t> nextItem{0};
  int busyWorkers = 0;
  std::exception_ptr failure; // the job's first exception, under `mutex`
  uint64_t generation = 0;
  bool stopping = false;
};

int configuredThreads() {
  int available = int(std::max(1u, std::thread::hardware_concurrency()));
  std::string warning;
  int threads = threadsFromEnvironment(std::getenv("SLUICE_NUM_THREADS"),
                                       available, warning);
  if (!warning.empty())
    std::fprintf(stderr, "sluice: warning: %s\n", warning.c_str());
  return threads;
}

/// Never destroyed: a program may exit (an error found inside a parallel
/// body, say) while another thread still submits work to the pool (a sample
/// running ahead), and tearing the pool down under it would hang or crash
/// that exit; the workers end with the process.
ThreadPool &pool() {
  static auto *instance = new ThreadPool(configuredThreads());
  return *instance;
}

} // namespace

int threadsFromEnvironment(const char *value, int available,
                           std::string &warning) {
  warning.clear();
  if (!value)
    return available;
  auto usingThreads = [](int threads) {
    return "; using " + std::to_string(threads) +
           (threads == 1 ? " thread" : " threads");
  };
  std::string text = value;
  bool digits = !text.empty() &&
                text.find_first_not_of("0123456789") == std::string::npos;
  size_t first = digits ? text.find_first_not_of('0') : 0;
  if (!digits || first == std::string::npos) {
    warning = "SLUICE_NUM_THREADS=" + text + " is not a positive integer" +
              usingThreads(available);
    return available;
  }
  std::string significant = text.substr(first);
  if (significant.size() > 4 || std::stoi(significant) > kMaxThreads) {
    warning = "SLUICE_NUM_THREADS=" + text + " is more than " +
              std::to_string(kMaxThreads) + usingThreads(kMaxThreads);
    return kMaxThreads;
  }
  return std::stoi(significant);
}

void parallelFor(int64_t count, int64_t grain,
                 const std::function<void(int64_t, int64_t)> &body) {
  if (count <= 0)
    return;
  grain = std::max<int64_t>(1, grain);
  if (count <= grain || insideParallelBody || pool().size() == 1) {
    body(0, count);
    return;
  }
  pool().run(count, grain, body);
}

int numThreads() { return pool().size(); }

} // namespace sluice::rt

namespace {
// Waking the pool and joining it costs a few microseconds, about as long as
// this many simple operations (a load, an add, a store each) take on one
// core: smaller loops stay on the calling thread, and no chunk is smaller.
constexpr double kSerialWork = 32768;
// Chunks per thread, so that uneven chunks (or a thread descheduled for a
// moment) even out.
constexpr int64_t kChunksPerThread = 4;
} // namespace

extern "C" void sluice_rt_parallel_for(int64_t count, int64_t cost,
                                       sluice_rt_parallel_body body,
                                       void *context) {
  sluice::rt::ProfileScope profile(__func__);
  if (count <= 0)
    return;
  // In floating point: count * cost may not fit in 64 bits.
  double perIteration = double(std::max<int64_t>(cost, 1));
  double work = double(count) * perIteration;
  int threads = sluice::rt::numThreads();
  if (threads == 1 || count == 1 || work < kSerialWork) {
    body(context, 0, count);
    return;
  }
  int64_t byThreads =
      (count + threads * kChunksPerThread - 1) / (threads * kChunksPerThread);
  int64_t byWork = int64_t(std::min(double(count), kSerialWork / perIteration));
  int64_t grain = std::max<int64_t>({byThreads, byWork, 1});
  sluice::rt::parallelFor(count, grain, [&](int64_t begin, int64_t end) {
    body(context, begin, end);
  });
}
