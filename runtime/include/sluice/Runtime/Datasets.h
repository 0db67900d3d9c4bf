//===- Datasets.h - datasets for compiled programs --------------*- C++ -*-===//
//
// `load_dataset(source)`: a feature table, labels and train/valid/test
// splits. `builtin:blobs?samples=N&features=F&classes=C&hard=H&seed=S` makes
// Gaussian blobs with no file: C class centres, each sample its class's
// centre plus unit noise, except a share H of "hard" samples drawn near the
// midpoint between their class's centre and another's (so some cross the
// boundary). Splits: a seeded permutation, 80% / 10% / 10%.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_DATASETS_H
#define SLUICE_RUNTIME_DATASETS_H

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::rt {

struct Dataset {
  int64_t samples = 0, features = 0, classes = 0;
  std::vector<float> x; // samples x features, row-major
  std::vector<int64_t> labels, train, valid, test;
  std::vector<uint8_t> hard; // 1 for the near-boundary samples
};

/// Fills `out` from `source`; returns "" or what is wrong with the source.
std::string loadDataset(const std::string &source, Dataset &out);

} // namespace sluice::rt

extern "C" {
/// Loads a dataset (stopping the program with `sluice: error: <where>: ...`
/// on a bad source) and returns its handle.
intptr_t sluice_rt_load_dataset(intptr_t source, intptr_t where);
/// Sizes: 0 samples, 1 features, 2 classes, 3 train, 4 valid, 5 test.
int64_t sluice_rt_dataset_size(intptr_t dataset, int64_t what);
/// Copies a field into `out`: 0 features (f32, samples x features),
/// 1 labels, 2 train, 3 valid, 4 test (i64).
void sluice_rt_dataset_copy(intptr_t dataset, int64_t field, intptr_t out);
}

#endif // SLUICE_RUNTIME_DATASETS_H
