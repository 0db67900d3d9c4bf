//===- CheckpointTest.cpp - saving and resuming a training loop -----------===//

#include "sluice/Runtime/Checkpoint.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <dirent.h>
#include <unistd.h>

using namespace sluice::rt;

namespace {

struct TempDir : sluice::test::TempDir {
  TempDir() : sluice::test::TempDir("sluice-ck") {}
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    if (DIR *dir = opendir(path.c_str())) {
      while (dirent *entry = readdir(dir))
        if (entry->d_name[0] != '.')
          names.push_back(entry->d_name);
      closedir(dir);
    }
    return names;
  }
};

TEST(CheckpointTest, SavedStateResumesBitForBit) {
  TempDir dir;
  std::vector<float> weights = {0.5f, -1.25f, 3.0f};
  int64_t step = 42;
  {
    Checkpointer saver;
    saver.setSaveDirectory(dir.path + "/run");
    saver.begin(6);
    saver.add(0, weights.data(), 3, DType::Float32);
    saver.add(1, &step, 1, DType::Int64);
    ASSERT_EQ(saver.commit(), "");
  }
  Checkpointer resumer;
  resumer.setResumeDirectory(dir.path + "/run");
  std::string error;
  EXPECT_EQ(resumer.resume(2, error), 6);
  EXPECT_EQ(error, "");
  std::vector<float> loadedWeights(3);
  int64_t loadedStep = 0;
  EXPECT_EQ(resumer.load(0, loadedWeights.data(), 3, DType::Float32), "");
  EXPECT_EQ(resumer.load(1, &loadedStep, 1, DType::Int64), "");
  EXPECT_EQ(loadedWeights, weights);
  EXPECT_EQ(loadedStep, 42);
}

TEST(CheckpointTest, CommitLeavesOnlyTheArchive) {
  TempDir dir;
  Checkpointer saver;
  saver.setSaveDirectory(dir.path);
  for (int64_t i = 0; i < 3; ++i) {
    saver.begin(i);
    saver.add(0, &i, 1, DType::Int64);
    ASSERT_EQ(saver.commit(), "");
  }
  EXPECT_EQ(dir.files(), std::vector<std::string>{"checkpoint.npz"});
}

TEST(CheckpointTest, WithoutDirectoriesNothingHappens) {
  Checkpointer idle;
  std::string error;
  EXPECT_EQ(idle.resume(3, error), -1);
  EXPECT_EQ(error, "");
  float x = 1;
  idle.begin(0);
  idle.add(0, &x, 1, DType::Float32);
  EXPECT_EQ(idle.commit(), "");
}

TEST(CheckpointTest, MismatchesAreExplained) {
  TempDir dir;
  Checkpointer saver;
  saver.setSaveDirectory(dir.path);
  float values[4] = {1, 2, 3, 4};
  saver.begin(0);
  saver.add(0, values, 4, DType::Float32);
  ASSERT_EQ(saver.commit(), "");

  Checkpointer resumer;
  resumer.setResumeDirectory(dir.path);
  std::string error;
  resumer.resume(2, error);
  EXPECT_EQ(error, dir.path + "/checkpoint.npz holds 1 values, but this "
                              "program's training loop carries 2: it was "
                              "written by another program");
  error.clear();
  EXPECT_EQ(resumer.resume(1, error), 0);
  float out[3];
  EXPECT_EQ(resumer.load(0, out, 3, DType::Float32),
            dir.path + "/checkpoint.npz: state_0 has 4 values of <f4, but "
                       "this program's value has 3 of <f4: it was written by "
                       "another program or with other sizes");
  Checkpointer missing;
  missing.setResumeDirectory(dir.path + "/none");
  missing.resume(1, error);
  EXPECT_EQ(error.rfind("--resume " + dir.path +
                            "/none: cannot read a "
                            "checkpoint: ",
                        0),
            0u)
      << error;
}

TEST(CheckpointTest, UnwritableDirectoryIsAnError) {
  Checkpointer saver;
  saver.setSaveDirectory("/nonexistent/parent/run");
  saver.begin(0);
  EXPECT_EQ(saver.commit().rfind("--checkpoint /nonexistent/parent/run: "
                                 "cannot create the directory",
                                 0),
            0u);
}

} // namespace
