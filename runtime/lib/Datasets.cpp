//===- Datasets.cpp - datasets for compiled programs ----------------------===//

#include "sluice/Runtime/Datasets.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

namespace sluice::rt {
namespace {

/// splitmix64, the generator every seeded op of sluice uses.
struct SplitMix {
  uint64_t state;
  uint64_t next() {
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return (next() >> 11) * 0x1.0p-53; } // [0, 1)
  double normal() {                                       // Box-Muller
    double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * v);
  }
};

bool parseInteger(const std::string &text, int64_t &value) {
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0')
    return false;
  value = v;
  return true;
}

bool parseReal(const std::string &text, double &value) {
  char *end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v))
    return false;
  value = v;
  return true;
}

std::string makeBlobs(const std::string &query, Dataset &out) {
  int64_t samples = 1000, features = 16, classes = 4, seed = 0;
  double hard = 0.0;
  size_t at = 0;
  while (at < query.size()) {
    size_t amp = query.find('&', at);
    std::string pair = query.substr(
        at, amp == std::string::npos ? std::string::npos : amp - at);
    at = amp == std::string::npos ? query.size() : amp + 1;
    size_t eq = pair.find('=');
    if (eq == std::string::npos)
      return "expected name=value in the query, got '" + pair + "'";
    std::string name = pair.substr(0, eq), value = pair.substr(eq + 1);
    bool ok = true;
    if (name == "samples")
      ok = parseInteger(value, samples) && samples >= 10;
    else if (name == "features")
      ok = parseInteger(value, features) && features >= 1;
    else if (name == "classes")
      ok = parseInteger(value, classes) && classes >= 2;
    else if (name == "seed")
      ok = parseInteger(value, seed);
    else if (name == "hard")
      ok = parseReal(value, hard) && hard >= 0 && hard <= 1;
    else
      return "unknown setting '" + name +
             "' (blobs takes samples, features, classes, hard, seed)";
    if (!ok)
      return "bad value for '" + name + "': '" + value + "'";
  }
  if (samples > (int64_t(1) << 26) || samples * features > (int64_t(1) << 30))
    return "too large (samples * features must stay below 2^30)";
  SplitMix rng{uint64_t(seed)};
  std::vector<double> centres(classes * features);
  for (double &c : centres)
    c = 3.0 * rng.normal();
  out.samples = samples;
  out.features = features;
  out.classes = classes;
  out.x.assign(samples * features, 0.0f);
  out.labels.resize(samples);
  out.hard.assign(samples, 0);
  for (int64_t i = 0; i < samples; ++i) {
    int64_t label = i % classes;
    out.labels[i] = label;
    const double *own = &centres[label * features];
    if (rng.uniform() < hard) {
      // Near the boundary with another class.
      int64_t other = (label + 1 + rng.next() % (classes - 1)) % classes;
      const double *far = &centres[other * features];
      out.hard[i] = 1;
      for (int64_t f = 0; f < features; ++f)
        out.x[i * features + f] =
            float(0.5 * (own[f] + far[f]) + 0.5 * rng.normal());
    } else {
      for (int64_t f = 0; f < features; ++f)
        out.x[i * features + f] = float(own[f] + rng.normal());
    }
  }
  // Splits: a seeded permutation, 80 / 10 / 10.
  std::vector<int64_t> order(samples);
  for (int64_t i = 0; i < samples; ++i)
    order[i] = i;
  for (int64_t i = samples - 1; i > 0; --i)
    std::swap(order[i], order[rng.next() % uint64_t(i + 1)]);
  int64_t train = samples * 8 / 10, valid = samples / 10;
  out.train.assign(order.begin(), order.begin() + train);
  out.valid.assign(order.begin() + train, order.begin() + train + valid);
  out.test.assign(order.begin() + train + valid, order.end());
  return "";
}

} // namespace

std::string loadDataset(const std::string &source, Dataset &out) {
  const std::string prefix = "builtin:blobs";
  if (source.rfind(prefix, 0) == 0) {
    std::string rest = source.substr(prefix.size());
    if (!rest.empty() && rest[0] != '?')
      return "unknown builtin dataset '" + source + "' (known: builtin:blobs)";
    return makeBlobs(rest.empty() ? "" : rest.substr(1), out);
  }
  if (source.rfind("builtin:", 0) == 0)
    return "unknown builtin dataset '" + source + "' (known: builtin:blobs)";
  return "cannot load '" + source +
         "': datasets from files are not supported yet (use builtin:blobs)";
}

} // namespace sluice::rt

using namespace sluice::rt;

extern "C" intptr_t sluice_rt_load_dataset(intptr_t source, intptr_t where) {
  auto dataset = std::make_unique<Dataset>();
  std::string error =
      loadDataset(reinterpret_cast<const char *>(source), *dataset);
  if (!error.empty()) {
    std::fflush(stdout);
    std::fprintf(stderr, "sluice: error: %s: %s\n",
                 reinterpret_cast<const char *>(where), error.c_str());
    std::exit(1);
  }
  // Lives as long as the program (datasets are loaded once per pipeline).
  return reinterpret_cast<intptr_t>(dataset.release());
}

extern "C" int64_t sluice_rt_dataset_size(intptr_t handle, int64_t what) {
  const Dataset &d = *reinterpret_cast<const Dataset *>(handle);
  switch (what) {
  case 0:
    return d.samples;
  case 1:
    return d.features;
  case 2:
    return d.classes;
  case 3:
    return int64_t(d.train.size());
  case 4:
    return int64_t(d.valid.size());
  case 5:
    return int64_t(d.test.size());
  default:
    return 0;
  }
}

extern "C" void sluice_rt_dataset_copy(intptr_t handle, int64_t field,
                                       intptr_t out) {
  const Dataset &d = *reinterpret_cast<const Dataset *>(handle);
  void *to = reinterpret_cast<void *>(out);
  switch (field) {
  case 0:
    std::memcpy(to, d.x.data(), d.x.size() * sizeof(float));
    return;
  case 1:
    std::memcpy(to, d.labels.data(), d.labels.size() * sizeof(int64_t));
    return;
  case 2:
    std::memcpy(to, d.train.data(), d.train.size() * sizeof(int64_t));
    return;
  case 3:
    std::memcpy(to, d.valid.data(), d.valid.size() * sizeof(int64_t));
    return;
  case 4:
    std::memcpy(to, d.test.data(), d.test.size() * sizeof(int64_t));
    return;
  default:
    return;
  }
}
