//===- Datasets.cpp - datasets for compiled programs ----------------------===//

#include "sluice/Runtime/Datasets.h"

#include "BuiltinSources.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

namespace sluice::rt {
namespace {

std::string makeBlobs(const std::string &query, Dataset &out) {
  int64_t samples = 1000, features = 16, classes = 4, seed = 0;
  double hard = 0.0;
  std::string error = forEachSetting(
      query,
      [&](const std::string &name, const std::string &value) -> std::string {
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
        return ok ? "" : "bad value for '" + name + "': '" + value + "'";
      });
  if (!error.empty())
    return error;
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
