//===- CheckpointTest.cpp - saving and resuming a training loop -----------===//

#include "sluice/Runtime/Checkpoint.h"

#include "MemoryLimit.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <sys/stat.h>
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

/// The error of resuming from a checkpoint saved at `iteration`, for a loop
/// of `iterations` iterations (-1: unknown).
std::string resumeError(const TempDir &dir, int64_t iteration,
                        int64_t iterations, int64_t &resumed) {
  Checkpointer saver;
  saver.setSaveDirectory(dir.path);
  float value = 1;
  saver.begin(iteration);
  saver.add(0, &value, 1, DType::Float32);
  EXPECT_EQ(saver.commit(), "");
  Checkpointer resumer;
  resumer.setResumeDirectory(dir.path);
  std::string error;
  resumed = resumer.resume(1, error, iterations);
  return error;
}

TEST(CheckpointTest, CorruptIterationsAreErrors) {
  TempDir dir;
  int64_t resumed = 0;
  EXPECT_EQ(resumeError(dir, -1, -1, resumed),
            dir.path + "/checkpoint.npz: 'iteration' is -1, not the number "
                       "of a completed iteration (from 0): the checkpoint is "
                       "corrupt");
  EXPECT_EQ(resumed, -1);
  EXPECT_EQ(resumeError(dir, INT64_MIN, 5, resumed),
            dir.path + "/checkpoint.npz: 'iteration' is " +
                std::to_string(INT64_MIN) +
                ", not the number of a completed iteration (from 0): the "
                "checkpoint is corrupt");
  EXPECT_EQ(resumed, -1);
  // With the loop's number of iterations known, the saved one must be one
  // of them.
  EXPECT_EQ(resumeError(dir, 100, 3, resumed),
            dir.path + "/checkpoint.npz: 'iteration' is 100, past the "
                       "training loop's 3 iterations: the checkpoint is "
                       "corrupt or was written with more iterations");
  EXPECT_EQ(resumed, -1);
  EXPECT_EQ(resumeError(dir, 3, 3, resumed),
            dir.path + "/checkpoint.npz: 'iteration' is 3, past the "
                       "training loop's 3 iterations: the checkpoint is "
                       "corrupt or was written with more iterations");
  EXPECT_EQ(resumeError(dir, 2, 3, resumed), "");
  EXPECT_EQ(resumed, 2);
  EXPECT_EQ(resumeError(dir, 0, -1, resumed), "");
  EXPECT_EQ(resumed, 0);
  EXPECT_EQ(resumeError(dir, 100, -1, resumed), "");
  EXPECT_EQ(resumed, 100);
}

void resumePastTheLoop(const std::string &dir) {
  Checkpointer saver;
  saver.setSaveDirectory(dir);
  float value = 1;
  saver.begin(7);
  saver.add(0, &value, 1, DType::Float32);
  if (saver.commit() != "")
    std::exit(3);
  programCheckpoints().setResumeDirectory(dir);
  sluice_rt_checkpoint_resume(1, 5, reinterpret_cast<intptr_t>("t.sl:4:3"));
  std::exit(0);
}

TEST(CheckpointTest, ResumingPastTheLoopStopsTheProgram) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TempDir dir;
  EXPECT_EXIT(resumePastTheLoop(dir.path), ::testing::ExitedWithCode(1),
              "sluice: error: t.sl:4:3: .*/checkpoint.npz: 'iteration' is 7, "
              "past the training loop's 5 iterations");
}

/// The precheck at a function's start: a foreign checkpoint (2 values, this
/// loop carries 1) stops the program; a matching one passes, at any
/// iteration (the loop's own check knows its trip count).
void precheck(const std::string &dir, int64_t states) {
  Checkpointer saver;
  saver.setSaveDirectory(dir);
  float values[2] = {1, 2};
  saver.begin(9);
  saver.add(0, &values[0], 1, DType::Float32);
  saver.add(1, &values[1], 1, DType::Float32);
  if (saver.commit() != "")
    std::exit(3);
  programCheckpoints().setResumeDirectory(dir);
  sluice_rt_checkpoint_precheck(states, reinterpret_cast<intptr_t>("t.sl:2:1"));
  std::exit(0);
}

TEST(CheckpointTest, PrecheckStopsForAForeignCheckpoint) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TempDir dir;
  EXPECT_EXIT(precheck(dir.path, 1), ::testing::ExitedWithCode(1),
              "sluice: error: t.sl:2:1: .*/checkpoint.npz holds 2 values, but "
              "this program's training loop carries 1");
  EXPECT_EXIT(precheck(dir.path, 2), ::testing::ExitedWithCode(0), "");
}

TEST(CheckpointTest, PrecheckWithoutResumeDoesNothing) {
  programCheckpoints().setResumeDirectory("");
  sluice_rt_checkpoint_precheck(3, reinterpret_cast<intptr_t>("t.sl:2:1"));
  SUCCEED();
}

TEST(CheckpointTest, ADirectoryNamedLikeTheArchiveIsAnError) {
  TempDir dir;
  ASSERT_EQ(mkdir((dir.path + "/checkpoint.npz").c_str(), 0755), 0);
  Checkpointer resumer;
  resumer.setResumeDirectory(dir.path);
  std::string error;
  EXPECT_EQ(resumer.resume(1, error), -1);
  EXPECT_EQ(error, "--resume " + dir.path +
                       ": cannot read a checkpoint: " + dir.path +
                       "/checkpoint.npz: is a directory, not a "
                       "file");
  Checkpointer saver;
  saver.setSaveDirectory(dir.path);
  EXPECT_EQ(saver.checkSaveDirectory(),
            "--checkpoint " + dir.path + ": " + dir.path +
                "/checkpoint.npz: is a directory, not a file");
}

TEST(CheckpointTest, OnlyARegularFileIsResumedFrom) {
  // /dev/zero would be read until memory runs out.
  TempDir dir;
  ASSERT_EQ(symlink("/dev/zero", (dir.path + "/checkpoint.npz").c_str()), 0);
  Checkpointer resumer;
  resumer.setResumeDirectory(dir.path);
  std::string error;
  EXPECT_EQ(resumer.resume(1, error), -1);
  EXPECT_EQ(error, "--resume " + dir.path + ": cannot read a checkpoint: " +
                       dir.path + "/checkpoint.npz: not a regular file");
}

/// Resumes from `dir` with the address space limited to what the process
/// maps plus 256 MiB, as sluice_rt_checkpoint_resume.
void resumeWithLittleMemory(const std::string &dir) {
  sluice::test::limitAddressSpace(uint64_t(256) << 20);
  programCheckpoints().markAvailable();
  programCheckpoints().setResumeDirectory(dir);
  sluice_rt_checkpoint_resume(1, 5, reinterpret_cast<intptr_t>("t.sl:4:3"));
  std::exit(0);
}

TEST(CheckpointTest, ACheckpointLargerThanMemoryIsAnError) {
  // The child reads the parent's files and starts no threads: a fork
  // (a re-run of the test would make files of other names).
  GTEST_FLAG_SET(death_test_style, "fast");
  // 4 GiB, sparse: no disk space.
  TempDir dir;
  std::string path = dir.path + "/checkpoint.npz";
  std::fclose(std::fopen(path.c_str(), "w"));
  ASSERT_EQ(truncate(path.c_str(), off_t(4) << 30), 0);
  EXPECT_EXIT(resumeWithLittleMemory(dir.path), ::testing::ExitedWithCode(1),
              "sluice: error: t.sl:4:3: --resume .*: cannot read a "
              "checkpoint: .*/checkpoint.npz: out of memory reading the file: "
              "it holds 4294967296 bytes \\(4.0 GiB\\)\n");
}

TEST(CheckpointTest, SaveDirectoriesAreCheckedBeforeAnyWork) {
  TempDir dir;
  auto check = [](const std::string &path) {
    Checkpointer saver;
    saver.setSaveDirectory(path);
    return saver.checkSaveDirectory();
  };
  EXPECT_EQ(check(""), "");
  EXPECT_EQ(check(dir.path), "");
  EXPECT_EQ(check(dir.path + "/"), "");
  // commit() creates the directory itself, not its parents.
  EXPECT_EQ(check(dir.path + "/run"), "");
  EXPECT_EQ(check(dir.path + "/run/"), "");
  EXPECT_EQ(check("/nonexistent/parent/run"),
            "--checkpoint /nonexistent/parent/run: cannot create the "
            "directory: No such file or directory");
  std::string file = dir.path + "/file";
  std::fclose(std::fopen(file.c_str(), "w"));
  EXPECT_EQ(check(file), "--checkpoint " + file + ": not a directory");
  EXPECT_EQ(check(file + "/run"), "--checkpoint " + file +
                                      "/run: cannot create the directory: "
                                      "Not a directory");
  // Where even root cannot create a directory.
  EXPECT_EQ(check("/proc/sluice-run")
                .rfind("--checkpoint /proc/sluice-run: cannot create the "
                       "directory: ",
                       0),
            0u);
  // Nothing was created.
  EXPECT_EQ(dir.files(), std::vector<std::string>{"file"});
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
