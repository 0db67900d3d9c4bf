//===- Datasets.cpp - datasets for compiled programs ----------------------===//

#include "sluice/Runtime/Datasets.h"

#include "BuiltinSources.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Npy.h"
#include "sluice/Runtime/Profile.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace sluice::rt {
namespace {

/// Feature values of builtin:blobs, at most (4 GiB of f32).
constexpr int64_t kMaxBlobsValues = int64_t(1) << 30;

/// builtin:blobs: returns "" or the problem. Sets `needed` to the bytes it
/// will allocate before it allocates them.
std::string makeBlobs(const std::string &query, Dataset &out,
                      uint64_t &needed) {
  int64_t samples = 1000, features = 16, classes = 4;
  uint64_t seed = 0;
  double hard = 0.0;
  QuerySettings settings("blobs");
  settings.integer("samples", samples, 10, int64_t(1) << 26);
  settings.integer("features", features, 1, int64_t(1) << 20);
  settings.integer("classes", classes, 2, 65536);
  settings.real("hard", hard, 0, 1);
  settings.seed("seed", seed);
  std::string error = settings.parse(query);
  if (!error.empty())
    return error;
  int64_t values;
  bool overflow = __builtin_mul_overflow(samples, features, &values);
  if (overflow || values > kMaxBlobsValues)
    return "too large: samples * features " +
           (overflow ? std::string("overflows")
                     : "= " + std::to_string(values)) +
           ", more than the limit of " + std::to_string(kMaxBlobsValues);
  // The features (f32), the class centres (f64), five int64 arrays of a
  // sample each (labels, the split's order and its parts) and the hard
  // flags.
  uint64_t centreBytes;
  bool fits =
      !__builtin_mul_overflow(uint64_t(classes), uint64_t(features),
                              &centreBytes) &&
      !__builtin_mul_overflow(centreBytes, uint64_t(8), &centreBytes) &&
      !__builtin_add_overflow(
          centreBytes, uint64_t(values) * 4 + 41 * uint64_t(samples), &needed);
  if (!fits || needed > kMaxGeneratedBytes)
    return "too large: generating the dataset needs " +
           (fits ? describeBytes(needed)
                 : std::string("more than 2^64 bytes")) +
           ", more than the limit of " + describeBytes(kMaxGeneratedBytes);
  SplitMix rng{seed};
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

/// Reads `path`, or `path.gz` (gunzipped) when `path` does not exist, into
/// `bytes`. Returns "" or what is wrong.
std::string readMaybeGzipped(const std::string &path,
                             std::vector<uint8_t> &bytes, std::string &used) {
  struct stat info;
  used = stat(path.c_str(), &info) == 0 ? path : path + ".gz";
  if (stat(used.c_str(), &info) != 0)
    return "cannot open " + path + " or " + path + ".gz";
  std::string error;
  int fd = openRegularFile(used, error);
  if (fd < 0)
    return error;
  gzFile file = gzdopen(fd, "rb"); // reads plain files as they are
  if (!file) {
    ::close(fd);
    return "cannot open " + path + " or " + path + ".gz";
  }
  bytes.clear();
  uint8_t chunk[1 << 16];
  int got;
  try {
    while ((got = gzread(file, chunk, sizeof chunk)) > 0)
      bytes.insert(bytes.end(), chunk, chunk + got);
  } catch (...) {
    gzclose(file);
    throw;
  }
  int status;
  // zlib's message starts with the name it has for the file, "<fd:N>";
  // a failed read is not a gzip problem.
  std::string message = gzerror(file, &status);
  if (message.rfind("<fd:", 0) == 0 && message.find(": ") != std::string::npos)
    message = message.substr(message.find(": ") + 2);
  error = status == Z_ERRNO ? used + ": cannot read: " + std::strerror(errno)
          : got < 0 || status < 0
              ? used + ": " + message + " (truncated or not gzip)"
              : "";
  gzclose(file);
  return error;
}

/// An IDX file of unsigned bytes (MNIST's format): magic 0x00 0x00 0x08 D,
/// D big-endian 32-bit sizes, then the data. Returns "" or what is wrong.
std::string readIdx(const std::string &path, size_t expectedRank,
                    std::vector<int64_t> &shape, std::vector<uint8_t> &data) {
  std::vector<uint8_t> bytes;
  std::string used;
  std::string error = readMaybeGzipped(path, bytes, used);
  if (!error.empty())
    return error;
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0)
    return used + ": not an IDX file (bad magic number)";
  if (bytes[2] != 0x08)
    return used + ": IDX element type " + std::to_string(bytes[2]) +
           " is not unsigned bytes (8)";
  size_t rank = bytes[3];
  if (rank != expectedRank)
    return used + ": has " + std::to_string(rank) + " dimensions, expected " +
           std::to_string(expectedRank);
  if (bytes.size() < 4 + 4 * rank)
    return used + ": truncated header";
  shape.clear();
  // The product of the nonzero sizes must fit (then every partial product
  // does too, such as rows x columns of zero images).
  int64_t count = 1;
  bool empty = false, overflow = false;
  std::string sizes;
  for (size_t d = 0; d < rank; ++d) {
    const uint8_t *b = &bytes[4 + 4 * d];
    int64_t size = (int64_t(b[0]) << 24) | (int64_t(b[1]) << 16) |
                   (int64_t(b[2]) << 8) | int64_t(b[3]);
    shape.push_back(size);
    sizes += (d ? " x " : "") + std::to_string(size);
    empty |= size == 0;
    if (size != 0)
      overflow |= __builtin_mul_overflow(count, size, &count);
  }
  if (overflow)
    return used + ": the header's sizes overflow (" + sizes + ")";
  if (empty)
    count = 0;
  size_t header = 4 + 4 * rank;
  if (bytes.size() - header < size_t(count))
    return used + ": truncated: the header promises " + std::to_string(count) +
           " values, the file holds " + std::to_string(bytes.size() - header);
  data.assign(bytes.begin() + header, bytes.begin() + header + count);
  return "";
}

/// The files of an MNIST-style directory, each optionally .gz.
constexpr const char *kIdxNames[] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

/// A directory of MNIST-style IDX files (train-images-idx3-ubyte,
/// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
/// each optionally .gz): the training images, then the test images, as rows
/// of pixels / 255. The last 1/12 of the training images validate (5,000 of
/// MNIST's 60,000), the rest train; the t10k images test.
std::string loadIdxDirectory(const std::string &dir, Dataset &out) {
  std::vector<int64_t> shapes[4];
  std::vector<uint8_t> parts[4];
  const char *const *names = kIdxNames;
  for (int i = 0; i < 4; ++i) {
    std::string error =
        readIdx(dir + "/" + names[i], i % 2 == 0 ? 3 : 1, shapes[i], parts[i]);
    if (!error.empty())
      return error;
  }
  for (int set = 0; set < 2; ++set)
    if (shapes[2 * set][0] != shapes[2 * set + 1][0])
      return dir + ": " + names[2 * set] + " has " +
             std::to_string(shapes[2 * set][0]) + " images but " +
             names[2 * set + 1] + " has " +
             std::to_string(shapes[2 * set + 1][0]) + " labels";
  if (shapes[0][1] != shapes[2][1] || shapes[0][2] != shapes[2][2])
    return dir + ": training and test images differ in size";
  int64_t trainCount = shapes[0][0], testCount = shapes[2][0];
  out.samples = trainCount + testCount;
  out.features = shapes[0][1] * shapes[0][2];
  out.x.resize(out.samples * out.features);
  out.labels.resize(out.samples);
  out.hard.assign(out.samples, 0);
  for (int64_t i = 0; i < out.samples * out.features; ++i) {
    bool fromTrain = i < trainCount * out.features;
    uint8_t pixel =
        fromTrain ? parts[0][i] : parts[2][i - trainCount * out.features];
    out.x[i] = float(pixel) / 255.0f;
  }
  out.classes = 0;
  for (int64_t i = 0; i < out.samples; ++i) {
    out.labels[i] = i < trainCount ? parts[1][i] : parts[3][i - trainCount];
    out.classes = std::max<int64_t>(out.classes, out.labels[i] + 1);
  }
  int64_t valid = trainCount / 12;
  for (int64_t i = 0; i < trainCount - valid; ++i)
    out.train.push_back(i);
  for (int64_t i = trainCount - valid; i < trainCount; ++i)
    out.valid.push_back(i);
  for (int64_t i = trainCount; i < out.samples; ++i)
    out.test.push_back(i);
  return "";
}

} // namespace

namespace {

/// loadDataset without its out-of-memory handling.
std::string loadDatasetOrThrow(const std::string &source, Dataset &out,
                               uint64_t &needed) {
  const std::string prefix = "builtin:blobs";
  if (source.rfind(prefix, 0) == 0) {
    std::string rest = source.substr(prefix.size());
    if (!rest.empty() && rest[0] != '?')
      return "unknown builtin dataset '" + source + "' (known: builtin:blobs)";
    std::string error =
        makeBlobs(rest.empty() ? "" : rest.substr(1), out, needed);
    return error.empty() ? "" : source + ": " + error;
  }
  if (source.rfind("builtin:", 0) == 0)
    return "unknown builtin dataset '" + source + "' (known: builtin:blobs)";
  if (source.empty())
    return "the dataset path is empty (datasets are builtin:blobs or a "
           "directory of MNIST-style IDX files)";
  struct stat info;
  if (stat(source.c_str(), &info) != 0)
    return "cannot load '" + source +
           "': no such file or directory (datasets are builtin:blobs or a "
           "directory of MNIST-style IDX files)";
  if (!S_ISDIR(info.st_mode))
    return "cannot load '" + source +
           "': not a directory (datasets are builtin:blobs or a directory of "
           "MNIST-style IDX files)";
  return loadIdxDirectory(source, out);
}

} // namespace

std::string loadDataset(const std::string &source, Dataset &out) {
  uint64_t needed = 0;
  try {
    return loadDatasetOrThrow(source, out, needed);
  } catch (const std::bad_alloc &) {
  } catch (const std::length_error &) {
  }
  out = Dataset(); // what was allocated, freed
  std::vector<std::string> files;
  for (const char *name : kIdxNames)
    for (const char *suffix : {"", ".gz"})
      files.push_back(std::string(name) + suffix);
  return outOfMemoryLoading(source, "dataset", needed, files);
}

} // namespace sluice::rt

using namespace sluice::rt;

extern "C" intptr_t sluice_rt_load_dataset(intptr_t source, intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  auto dataset = std::make_unique<Dataset>();
  std::string error =
      loadDataset(reinterpret_cast<const char *>(source), *dataset);
  if (!error.empty())
    fatalErrorAt(where, error);
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
  sluice::rt::ProfileScope profile(__func__);
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
