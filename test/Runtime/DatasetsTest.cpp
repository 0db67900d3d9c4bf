//===- DatasetsTest.cpp - datasets for compiled programs ------------------===//

#include "sluice/Runtime/Datasets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

using namespace sluice::rt;

namespace {

TEST(DatasetsTest, BlobsHaveTheRequestedShapeAndSplits) {
  Dataset d;
  ASSERT_EQ(loadDataset("builtin:blobs?samples=1000&features=8&classes=5&"
                        "hard=0.25&seed=3",
                        d),
            "");
  EXPECT_EQ(d.samples, 1000);
  EXPECT_EQ(d.features, 8);
  EXPECT_EQ(d.classes, 5);
  EXPECT_EQ(d.x.size(), 8000u);
  // Balanced labels in [0, classes).
  std::vector<int> counts(5);
  for (int64_t y : d.labels) {
    ASSERT_GE(y, 0);
    ASSERT_LT(y, 5);
    ++counts[y];
  }
  for (int c : counts)
    EXPECT_EQ(c, 200);
  // The splits partition the samples, 80 / 10 / 10.
  EXPECT_EQ(d.train.size(), 800u);
  EXPECT_EQ(d.valid.size(), 100u);
  EXPECT_EQ(d.test.size(), 100u);
  std::set<int64_t> all(d.train.begin(), d.train.end());
  all.insert(d.valid.begin(), d.valid.end());
  all.insert(d.test.begin(), d.test.end());
  EXPECT_EQ(all.size(), 1000u);
  EXPECT_EQ(*all.begin(), 0);
  EXPECT_EQ(*all.rbegin(), 999);
  // About the requested share is hard.
  int hard = std::accumulate(d.hard.begin(), d.hard.end(), 0);
  EXPECT_GT(hard, 200);
  EXPECT_LT(hard, 300);
}

TEST(DatasetsTest, HardSamplesLieCloserToAnotherClass) {
  // A hard sample is drawn at the midpoint of two centres, so its distance
  // to its own class's mean is larger on average than an easy one's.
  Dataset d;
  ASSERT_EQ(loadDataset("builtin:blobs?samples=4000&features=4&classes=2&"
                        "hard=0.5&seed=1",
                        d),
            "");
  std::vector<double> mean(2 * 4, 0.0), count(2, 0.0);
  for (int64_t i = 0; i < d.samples; ++i)
    if (!d.hard[i]) {
      count[d.labels[i]] += 1;
      for (int f = 0; f < 4; ++f)
        mean[d.labels[i] * 4 + f] += d.x[i * 4 + f];
    }
  for (int c = 0; c < 2; ++c)
    for (int f = 0; f < 4; ++f)
      mean[c * 4 + f] /= count[c];
  double easy = 0, hardDistance = 0, easyCount = 0, hardCount = 0;
  for (int64_t i = 0; i < d.samples; ++i) {
    double s = 0;
    for (int f = 0; f < 4; ++f) {
      double v = d.x[i * 4 + f] - mean[d.labels[i] * 4 + f];
      s += v * v;
    }
    (d.hard[i] ? hardDistance : easy) += s;
    (d.hard[i] ? hardCount : easyCount) += 1;
  }
  EXPECT_GT(hardDistance / hardCount, easy / easyCount);
}

TEST(DatasetsTest, TheSeedDecides) {
  Dataset a, b, c;
  ASSERT_EQ(loadDataset("builtin:blobs?samples=100&seed=9", a), "");
  ASSERT_EQ(loadDataset("builtin:blobs?samples=100&seed=9", b), "");
  ASSERT_EQ(loadDataset("builtin:blobs?samples=100&seed=10", c), "");
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.train, b.train);
  EXPECT_NE(a.x, c.x);
}

TEST(DatasetsTest, BadSourcesAreExplained) {
  Dataset d;
  EXPECT_EQ(loadDataset("builtin:blobs?samples=many", d),
            "bad value for 'samples': 'many'");
  EXPECT_EQ(loadDataset("builtin:blobs?size=3", d),
            "unknown setting 'size' (blobs takes samples, features, classes, "
            "hard, seed)");
  EXPECT_EQ(loadDataset("builtin:blobs?hard=2", d),
            "bad value for 'hard': '2'");
  EXPECT_EQ(loadDataset("builtin:blobs?samples", d),
            "expected name=value in the query, got 'samples'");
  EXPECT_EQ(loadDataset("builtin:moons", d),
            "unknown builtin dataset 'builtin:moons' (known: builtin:blobs)");
  EXPECT_EQ(loadDataset("data/train.npz", d),
            "cannot load 'data/train.npz': datasets from files are not "
            "supported yet (use builtin:blobs)");
}

TEST(DatasetsTest, CEntryPointsCopyTheFields) {
  const char source[] = "builtin:blobs?samples=50&features=3&classes=2";
  const char where[] = "test";
  intptr_t h = sluice_rt_load_dataset(reinterpret_cast<intptr_t>(source),
                                      reinterpret_cast<intptr_t>(where));
  EXPECT_EQ(sluice_rt_dataset_size(h, 0), 50);
  EXPECT_EQ(sluice_rt_dataset_size(h, 1), 3);
  EXPECT_EQ(sluice_rt_dataset_size(h, 2), 2);
  EXPECT_EQ(sluice_rt_dataset_size(h, 3), 40);
  std::vector<int64_t> labels(50, -1);
  sluice_rt_dataset_copy(h, 1, reinterpret_cast<intptr_t>(labels.data()));
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(labels[i], i % 2);
  std::vector<float> x(150, 0.0f);
  sluice_rt_dataset_copy(h, 0, reinterpret_cast<intptr_t>(x.data()));
  EXPECT_TRUE(std::any_of(x.begin(), x.end(), [](float v) { return v != 0; }));
}

void loadBad() {
  const char source[] = "builtin:blobs?samples=x";
  const char where[] = "train.sl:3:9";
  sluice_rt_load_dataset(reinterpret_cast<intptr_t>(source),
                         reinterpret_cast<intptr_t>(where));
}

TEST(DatasetsTest, ABadSourceStopsTheProgram) {
  // A forked child must not inherit the runtime's worker threads' state:
  // run the death test in a fresh process.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(loadBad(), ::testing::ExitedWithCode(1),
              "sluice: error: train.sl:3:9: bad value for 'samples': 'x'");
}

} // namespace
