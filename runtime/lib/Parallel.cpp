//===- Parallel.cpp - the runtime's thread pool ---------------------------===//

#include "sluice/Runtime/Parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
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
    for (int i = 1; i < threads; ++i)
      workers.emplace_back([this] { workerLoop(); });
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
    std::unique_lock<std::mutex> lock(mutex);
    done.wait(lock, [this] { return busyWorkers == 0; });
    job = nullptr;
  }

private:
  void work() {
    insideParallelBody = true;
    for (;;) {
      int64_t begin = nextItem.fetch_add(jobGrain);
      if (begin >= jobCount)
        break;
      (*job)(begin, std::min(jobCount, begin + jobGrain));
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
  uint64_t generation = 0;
  bool stopping = false;
};

int configuredThreads() {
  if (const char *env = std::getenv("SLUICE_NUM_THREADS")) {
    int threads = std::atoi(env);
    if (threads >= 1)
      return std::min(threads, 1024);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

ThreadPool &pool() {
  static ThreadPool instance(configuredThreads());
  return instance;
}

} // namespace

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
