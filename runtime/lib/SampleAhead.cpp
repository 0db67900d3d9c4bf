//===- SampleAhead.cpp - sampling the next batch in the background --------===//
//
// sluice-sample-ahead issues, right after a batch loop's `sluice.sample`,
// the same sample for the next iteration; it runs here on a background
// thread while the program trains on the current batch (on a GPU build the
// host mostly waits for kernels then), and the next iteration's sample takes
// its result. The result is matched on the arguments, not trusted: a sample
// whose arguments differ from what ran ahead samples itself, so sampling
// ahead can change the time a program takes but never what it computes.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/Graphs.h"
#include "sluice/Runtime/Profile.h"

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace sluice::rt {

SampleArguments::SampleArguments(Graph *graph, const int64_t *seeds,
                                 int64_t count, int64_t seedStride,
                                 const int64_t *fanouts, int64_t layers,
                                 int64_t fanoutStride, uint64_t seed)
    : graph(graph), seed(seed) {
  this->seeds.resize(size_t(std::max<int64_t>(count, 0)));
  for (size_t i = 0; i < this->seeds.size(); ++i)
    this->seeds[i] = seeds[int64_t(i) * seedStride];
  this->fanouts.resize(size_t(std::max<int64_t>(layers, 0)));
  for (size_t l = 0; l < this->fanouts.size(); ++l)
    this->fanouts[l] = fanouts[int64_t(l) * fanoutStride];
}

bool SampleArguments::operator==(const SampleArguments &other) const {
  return graph == other.graph && seed == other.seed && seeds == other.seeds &&
         fanouts == other.fanouts;
}

std::string sampleOrError(const SampleArguments &arguments, Blocks &out) {
  std::string outOfMemory = "out of memory sampling the blocks of " +
                            std::to_string(arguments.seeds.size()) + " seeds";
  try {
    return sampleBlocks(
        *arguments.graph, arguments.seeds.data(),
        int64_t(arguments.seeds.size()), 1, arguments.fanouts.data(),
        int64_t(arguments.fanouts.size()), 1, arguments.seed, out);
  } catch (const std::bad_alloc &) {
    return outOfMemory;
  } catch (const std::length_error &) {
    return outOfMemory;
  }
}

namespace {

/// One sample running ahead; `blocks` and `error` belong to `worker` until
/// it is joined.
struct Pending {
  explicit Pending(SampleArguments arguments)
      : arguments(std::move(arguments)) {}
  SampleArguments arguments;
  Blocks blocks;
  std::string error;
  std::thread worker;
};

struct State {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<Pending>> pending; // by site
  SampleAheadCounts counts;
};

/// Never destroyed: a sample may still be running ahead when the program
/// exits, and its thread is never joined then.
State &state() {
  static auto *instance = new State;
  return *instance;
}

void finish(Pending &pending) {
  if (pending.worker.joinable())
    pending.worker.join();
}

/// The pending sample at `site`, taken out of the table (null if none).
std::unique_ptr<Pending> takePending(const std::string &site) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  auto found = s.pending.find(site);
  if (found == s.pending.end())
    return nullptr;
  std::unique_ptr<Pending> taken = std::move(found->second);
  s.pending.erase(found);
  return taken;
}

} // namespace

void startSamplingAhead(const std::string &site, SampleArguments arguments) {
  // A program may end while a sample runs ahead, even from inside a
  // parallel body that the sample's own parallel loops wait behind; so
  // nothing waits for it at exit. What it uses outlives the exit handlers:
  // the thread pool and this table are never destroyed, and graphs live as
  // long as the program.
  if (std::unique_ptr<Pending> stale = takePending(site))
    finish(*stale); // never taken: its arguments did not come
  auto pending = std::make_unique<Pending>(std::move(arguments));
  Pending *raw = pending.get();
  try {
    raw->worker = std::thread([raw] {
      ProfileScope profile(std::string("sluice_rt_sample_ahead") +
                           kBackgroundProfileSuffix);
      raw->error = sampleOrError(raw->arguments, raw->blocks);
    });
  } catch (const std::system_error &) {
    return; // no thread to spare: the sample runs when it is asked for
  }
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.pending[site] = std::move(pending);
  ++s.counts.started;
}

bool takeSampledAhead(const std::string &site, const SampleArguments &arguments,
                      Blocks &out, std::string &error) {
  std::unique_ptr<Pending> pending = takePending(site);
  if (!pending)
    return false;
  finish(*pending);
  if (!(pending->arguments == arguments))
    return false;
  out = std::move(pending->blocks);
  error = std::move(pending->error);
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  ++s.counts.taken;
  return true;
}

SampleAheadCounts sampleAheadCounts() {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.counts;
}

} // namespace sluice::rt

using namespace sluice::rt;

extern "C" void sluice_rt_sample_ahead(intptr_t graph, intptr_t seeds,
                                       int64_t count, int64_t seedStride,
                                       intptr_t fanouts, int64_t layers,
                                       int64_t fanoutStride, int64_t seed,
                                       intptr_t where) {
  ProfileScope profile(__func__);
  startSamplingAhead(reinterpret_cast<const char *>(where),
                     SampleArguments(reinterpret_cast<Graph *>(graph),
                                     reinterpret_cast<const int64_t *>(seeds),
                                     count, seedStride,
                                     reinterpret_cast<const int64_t *>(fanouts),
                                     layers, fanoutStride, uint64_t(seed)));
}
