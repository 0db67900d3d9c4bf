//===- DatasetsTest.cpp - datasets for compiled programs ------------------===//

#include "sluice/Runtime/Datasets.h"

#include "MemoryLimit.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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
            "builtin:blobs?samples=many: 'samples' must be an integer from 10 "
            "to 67108864, not 'many'");
  EXPECT_EQ(loadDataset("builtin:blobs?size=3", d),
            "builtin:blobs?size=3: unknown setting 'size' (blobs takes "
            "samples, features, classes, hard, seed)");
  EXPECT_EQ(loadDataset("builtin:blobs?hard=2", d),
            "builtin:blobs?hard=2: 'hard' must be at most 1, not 2");
  EXPECT_EQ(loadDataset("builtin:blobs?samples", d),
            "builtin:blobs?samples: expected name=value in the query, got "
            "'samples'");
  EXPECT_EQ(loadDataset("builtin:moons", d),
            "unknown builtin dataset 'builtin:moons' (known: builtin:blobs)");
  EXPECT_EQ(loadDataset("data/missing", d),
            "cannot load 'data/missing': no such file or directory (datasets "
            "are builtin:blobs or a directory of MNIST-style IDX files)");
}

TEST(DatasetsTest, QueryValuesAreStrictAndTheirRangesStated) {
  Dataset d;
  EXPECT_EQ(loadDataset("builtin:blobs?samples=9", d),
            "builtin:blobs?samples=9: 'samples' must be at least 10, not 9");
  EXPECT_EQ(loadDataset("builtin:blobs?samples=67108865", d),
            "builtin:blobs?samples=67108865: 'samples' must be at most "
            "67108864, not 67108865");
  EXPECT_EQ(loadDataset("builtin:blobs?classes=1", d),
            "builtin:blobs?classes=1: 'classes' must be at least 2, not 1");
  EXPECT_EQ(loadDataset("builtin:blobs?samples= 20", d),
            "builtin:blobs?samples= 20: 'samples' must be an integer from 10 "
            "to 67108864, not ' 20'");
  EXPECT_EQ(loadDataset("builtin:blobs?samples=+20", d),
            "builtin:blobs?samples=+20: 'samples' must be an integer from 10 "
            "to 67108864, not '+20'");
  EXPECT_EQ(loadDataset("builtin:blobs?hard=nan", d),
            "builtin:blobs?hard=nan: 'hard' must be a number from 0 to 1, not "
            "'nan'");
  EXPECT_EQ(loadDataset("builtin:blobs?seed=99999999999999999999", d),
            "builtin:blobs?seed=99999999999999999999: 'seed' must be at most "
            "18446744073709551615, not 99999999999999999999");
  EXPECT_EQ(loadDataset("builtin:blobs?samples=20&samples=30", d),
            "builtin:blobs?samples=20&samples=30: 'samples' is given twice");
}

TEST(DatasetsTest, SizesThatWouldOverflowOrExhaustMemoryAreRefused) {
  Dataset d;
  EXPECT_EQ(loadDataset("builtin:blobs?features=1152921504606846976", d),
            "builtin:blobs?features=1152921504606846976: 'features' must be "
            "at most 1048576, not 1152921504606846976");
  EXPECT_EQ(loadDataset("builtin:blobs?samples=67108864&features=17", d),
            "builtin:blobs?samples=67108864&features=17: too large: samples * "
            "features = 1140850688, more than the limit of 1073741824");
  // 8 * 65536 * 2^20 bytes of class centres (f64), 4 * 1000 * 2^20 of
  // features, 41 * 1000 of the rest.
  EXPECT_EQ(loadDataset("builtin:blobs?samples=1000&features=1048576&"
                        "classes=65536",
                        d),
            "builtin:blobs?samples=1000&features=1048576&classes=65536: too "
            "large: generating the dataset needs 553950158888 bytes (515.9 "
            "GiB), more than the limit of 34359738368 bytes (32.0 GiB)");
}

/// Loads `source` with the address space limited to what the process maps
/// plus 512 MiB, as sluice_rt_load_dataset.
void loadDatasetWithLittleMemory(const char *source) {
  sluice::test::limitAddressSpace(uint64_t(512) << 20);
  sluice_rt_load_dataset(reinterpret_cast<intptr_t>(source),
                         reinterpret_cast<intptr_t>("train.sl:3:9"));
  std::exit(0);
}

TEST(DatasetsTest, RunningOutOfMemoryIsAnErrorNotACrash) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // 4 * 2^26 * 16 + 8 * 4 * 16 + 41 * 2^26 bytes: under the limit of 32 GiB,
  // over this process's.
  EXPECT_EXIT(
      loadDatasetWithLittleMemory("builtin:blobs?samples=67108864&features=16"),
      ::testing::ExitedWithCode(1),
      "sluice: error: train.sl:3:9: builtin:blobs\\?samples=67108864&"
      "features=16: out of memory generating the dataset: it needs "
      "7046431232 bytes \\(6.6 GiB\\)\n");
}

/// A temporary directory of IDX files: `images` 2 x 3 images per set.
struct IdxDirectory : sluice::test::TempDir {
  IdxDirectory() : TempDir("sluice-idx") {}
  static std::vector<uint8_t> idx(std::vector<uint32_t> shape,
                                  std::vector<uint8_t> values) {
    std::vector<uint8_t> bytes = {0, 0, 8, uint8_t(shape.size())};
    for (uint32_t size : shape)
      for (int shift = 24; shift >= 0; shift -= 8)
        bytes.push_back(uint8_t(size >> shift));
    bytes.insert(bytes.end(), values.begin(), values.end());
    return bytes;
  }
  void write(const std::string &name, const std::vector<uint8_t> &bytes,
             bool gzipped) {
    std::string file = path + "/" + name + (gzipped ? ".gz" : "");
    gzFile out = gzopen(file.c_str(), gzipped ? "wb" : "wbT");
    ASSERT_NE(out, nullptr);
    gzwrite(out, bytes.data(), unsigned(bytes.size()));
    gzclose(out);
  }
  /// 24 training images of 2 x 3 pixels (pixel p of image i is i * 6 + p),
  /// labels i % 4; 3 test images, labels 9, 0, 1.
  void writeValid(bool gzipped) {
    std::vector<uint8_t> pixels, labels;
    for (int i = 0; i < 24; ++i) {
      for (int p = 0; p < 6; ++p)
        pixels.push_back(uint8_t(i * 6 + p));
      labels.push_back(uint8_t(i % 4));
    }
    write("train-images-idx3-ubyte", idx({24, 2, 3}, pixels), gzipped);
    write("train-labels-idx1-ubyte", idx({24}, labels), gzipped);
    write("t10k-images-idx3-ubyte",
          idx({3, 2, 3}, std::vector<uint8_t>(18, 255)), !gzipped);
    write("t10k-labels-idx1-ubyte", idx({3}, {9, 0, 1}), !gzipped);
  }
};

TEST(DatasetsTest, LoadsMnistStyleIdxDirectories) {
  for (bool gzipped : {false, true}) {
    IdxDirectory dir;
    dir.writeValid(gzipped);
    Dataset d;
    ASSERT_EQ(loadDataset(dir.path, d), "");
    EXPECT_EQ(d.samples, 27);
    EXPECT_EQ(d.features, 6);
    EXPECT_EQ(d.classes, 10); // the test set has label 9
    // Pixels scaled to [0, 1]; the test images follow the training ones.
    EXPECT_FLOAT_EQ(d.x[5 * 6 + 4], float(5 * 6 + 4) / 255.0f);
    EXPECT_FLOAT_EQ(d.x[24 * 6], 1.0f);
    EXPECT_EQ(d.labels[7], 3);
    EXPECT_EQ(d.labels[24], 9);
    // The last 1/12 of the training images validate; t10k tests.
    EXPECT_EQ(d.train.size(), 22u);
    EXPECT_EQ(d.valid, (std::vector<int64_t>{22, 23}));
    EXPECT_EQ(d.test, (std::vector<int64_t>{24, 25, 26}));
  }
}

TEST(DatasetsTest, BadIdxFilesNameTheFileAndTheProblem) {
  {
    IdxDirectory dir;
    dir.writeValid(false);
    dir.write("train-labels-idx1-ubyte",
              IdxDirectory::idx({23}, std::vector<uint8_t>(23)), false);
    Dataset d;
    EXPECT_EQ(loadDataset(dir.path, d),
              dir.path + ": train-images-idx3-ubyte has 24 images but "
                         "train-labels-idx1-ubyte has 23 labels");
  }
  {
    IdxDirectory dir;
    dir.writeValid(false);
    dir.write("train-images-idx3-ubyte", IdxDirectory::idx({24, 2, 3}, {1, 2}),
              false);
    Dataset d;
    EXPECT_EQ(loadDataset(dir.path, d),
              dir.path + "/train-images-idx3-ubyte: truncated: the header "
                         "promises 144 values, the file holds 2");
  }
  {
    IdxDirectory dir;
    dir.writeValid(false);
    dir.write("t10k-images-idx3-ubyte", {1, 2, 3, 4, 5}, false);
    Dataset d;
    // The plain file is absent (writeValid wrote it gzipped), so .gz is read.
    std::string error = loadDataset(dir.path, d);
    EXPECT_NE(error.find("t10k-images-idx3-ubyte"), std::string::npos) << error;
  }
  {
    IdxDirectory dir;
    dir.writeValid(false);
    dir.write("train-labels-idx1-ubyte",
              IdxDirectory::idx({24, 1}, std::vector<uint8_t>(24)), false);
    Dataset d;
    EXPECT_EQ(loadDataset(dir.path, d),
              dir.path + "/train-labels-idx1-ubyte: has 2 dimensions, "
                         "expected 1");
  }
  {
    IdxDirectory dir;
    Dataset d;
    EXPECT_EQ(loadDataset(dir.path, d),
              "cannot open " + dir.path + "/train-images-idx3-ubyte or " +
                  dir.path + "/train-images-idx3-ubyte.gz");
  }
}

TEST(DatasetsTest, IdxSizesWhoseProductOverflowsAreErrors) {
  // Each product is past 2^63, so it would wrap below the file's size.
  struct Case {
    std::vector<uint32_t> shape;
    const char *sizes;
  } cases[] = {
      {{24, 0x80000000u, 0x80000000u}, "24 x 2147483648 x 2147483648"},
      {{24, 0xffffffffu, 0xffffffffu}, "24 x 4294967295 x 4294967295"},
      {{1, 0xffffffffu, 0xffffffffu}, "1 x 4294967295 x 4294967295"},
      // No images, but rows x columns still has to fit.
      {{0, 0xffffffffu, 0xffffffffu}, "0 x 4294967295 x 4294967295"},
  };
  for (const Case &c : cases) {
    IdxDirectory dir;
    dir.writeValid(false);
    dir.write("train-images-idx3-ubyte",
              IdxDirectory::idx(c.shape, std::vector<uint8_t>(100)), false);
    Dataset d;
    EXPECT_EQ(loadDataset(dir.path, d),
              dir.path +
                  "/train-images-idx3-ubyte: the header's sizes "
                  "overflow (" +
                  c.sizes + ")");
  }
}

TEST(DatasetsTest, ADirectoryWhereAnIdxFileShouldBeIsNamed) {
  for (const char *suffix : {"", ".gz"}) {
    IdxDirectory dir;
    dir.writeValid(false);
    std::string labels = dir.path + "/train-labels-idx1-ubyte";
    ASSERT_EQ(std::remove(labels.c_str()), 0);
    ASSERT_EQ(mkdir((labels + suffix).c_str(), 0755), 0);
    Dataset d;
    EXPECT_EQ(loadDataset(dir.path, d),
              labels + suffix + ": is a directory, not a file");
  }
}

/// loadDataset's error for `dir`, in a child that SIGALRM ends after 10
/// seconds (a FIFO must not be waited on): exits with 3.
void loadDatasetWithin10Seconds(const std::string &dir) {
  alarm(10);
  Dataset d;
  std::fprintf(stderr, "%s\n", loadDataset(dir, d).c_str());
  std::exit(3);
}

TEST(DatasetsTest, OnlyRegularIdxFilesAreRead) {
  // The child reads the parent's files and starts no threads: a fork
  // (a re-run of the test would make files of other names).
  GTEST_FLAG_SET(death_test_style, "fast");
  for (const char *suffix : {"", ".gz"}) {
    // /dev/zero would be read until memory runs out.
    IdxDirectory dir;
    dir.writeValid(false);
    std::string images = dir.path + "/train-images-idx3-ubyte";
    ASSERT_EQ(std::remove(images.c_str()), 0);
    ASSERT_EQ(symlink("/dev/zero", (images + suffix).c_str()), 0);
    Dataset d;
    EXPECT_EQ(loadDataset(dir.path, d),
              images + suffix + ": not a regular file");
  }
  {
    // A FIFO would be waited on for a writer.
    IdxDirectory dir;
    dir.writeValid(false);
    std::string labels = dir.path + "/train-labels-idx1-ubyte";
    ASSERT_EQ(std::remove(labels.c_str()), 0);
    ASSERT_EQ(mkfifo(labels.c_str(), 0644), 0);
    EXPECT_EXIT(loadDatasetWithin10Seconds(dir.path),
                ::testing::ExitedWithCode(3),
                labels + ": not a regular file\n");
  }
}

TEST(DatasetsTest, AnEmptyPathIsNamed) {
  Dataset d;
  EXPECT_EQ(loadDataset("", d),
            "the dataset path is empty (datasets are builtin:blobs or a "
            "directory of MNIST-style IDX files)");
}

TEST(DatasetsTest, LoadsFashionMnistFromDebian) {
  // dataset-fashion-mnist, which scripts/setup.sh installs.
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  struct stat info;
  if (stat(dir.c_str(), &info) != 0)
    GTEST_SKIP() << dir << " is not installed";
  Dataset d;
  ASSERT_EQ(loadDataset(dir, d), "");
  EXPECT_EQ(d.samples, 70000);
  EXPECT_EQ(d.features, 784);
  EXPECT_EQ(d.classes, 10);
  EXPECT_EQ(d.train.size(), 55000u);
  EXPECT_EQ(d.valid.size(), 5000u);
  EXPECT_EQ(d.test.size(), 10000u);
  // Each class has 6,000 training and 1,000 test images.
  std::vector<int> counts(10);
  for (int64_t y : d.labels)
    ++counts[y];
  for (int c : counts)
    EXPECT_EQ(c, 7000);
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
              "sluice: error: train.sl:3:9: builtin:blobs\\?samples=x: "
              "'samples' must be an integer from 10 to 67108864, not 'x'");
}

} // namespace
