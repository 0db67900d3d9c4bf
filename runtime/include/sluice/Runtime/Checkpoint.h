//===- Checkpoint.h - saving and resuming a training loop -------*- C++ -*-===//
//
// `--checkpoint DIR` saves, after every iteration of a program's training
// loop (the loop over epochs), everything the loop carries from one
// iteration to the next (parameters, optimizer state, counters) to
// DIR/checkpoint.npz, atomically (a temporary file, then a rename), so that
// a run killed at any moment leaves the last complete iteration behind.
// `--resume DIR` loads it and continues with the next iteration; on the CPU
// the resumed run ends with exactly the bits of an uninterrupted one.
//
// The archive is an ordinary NumPy .npz: `iteration` (int64, the last
// completed iteration, zero-based) and `state_0`, `state_1`, ... (each value
// the loop carries, flattened, in the order of the loop's iter_args).
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_CHECKPOINT_H
#define SLUICE_RUNTIME_CHECKPOINT_H

#include "sluice/Runtime/Npy.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sluice::rt {

class Checkpointer {
public:
  void setSaveDirectory(const std::string &dir) { saveDir = dir; }
  void setResumeDirectory(const std::string &dir) { resumeDir = dir; }
  bool saving() const { return !saveDir.empty(); }
  bool resuming() const { return !resumeDir.empty(); }
  /// Called by programs that have a loop the compiler checkpoints.
  void markAvailable() { available = true; }
  bool isAvailable() const { return available; }

  /// Loads the checkpoint to resume from, for a loop carrying `states`
  /// values (and running `iterations` iterations, when known, else -1).
  /// Returns the last completed iteration, -1 when not resuming, or sets
  /// `error` (a mismatch, or an iteration that is negative or, when
  /// `iterations` is known, not below it).
  int64_t resume(int64_t states, std::string &error, int64_t iterations = -1);
  /// Whether --checkpoint's directory can be written, checked before the
  /// program does any work: it exists and is a writable directory (without
  /// a directory named checkpoint.npz), or its parent is writable. Returns
  /// "" or what is wrong.
  std::string checkSaveDirectory() const;
  /// Copies state `index` of the loaded checkpoint into `out`, checking its
  /// element count and type; returns "" or what does not match.
  std::string load(int64_t index, void *out, int64_t elements, DType dtype);

  void begin(int64_t iteration);
  void add(int64_t index, const void *data, int64_t elements, DType dtype);
  /// Writes what begin/add collected; returns "" or what went wrong.
  std::string commit();

private:
  std::string saveDir, resumeDir;
  bool available = false;
  std::vector<std::pair<std::string, NpyArray>> loaded, pending;
};

/// The process-wide checkpointer of the C entry points.
Checkpointer &programCheckpoints();

} // namespace sluice::rt

extern "C" {
/// Declares that the program has a checkpointed loop (so that --checkpoint
/// and --resume are accepted).
void sluice_rt_checkpoint_available();
/// At the start of the function that holds the loop: with --resume, reads
/// the checkpoint and checks it against a loop carrying `states` values, so
/// that a missing or foreign checkpoint stops the program before any work
/// (a loop may start after other training, as select hardest's does).
void sluice_rt_checkpoint_precheck(int64_t states, intptr_t where);
/// Before a loop of `iterations` iterations: the last completed iteration
/// to resume after (from --resume), or -1. A missing or mismatched
/// checkpoint, or a saved iteration not below `iterations`, stops the
/// program.
int64_t sluice_rt_checkpoint_resume(int64_t states, int64_t iterations,
                                    intptr_t where);
/// Copies state `index` (of `elements` values of NumPy dtype `dtype`, see
/// sluice::rt::DType) into `out`.
void sluice_rt_checkpoint_load(int64_t index, intptr_t out, int64_t elements,
                               int64_t dtype, intptr_t where);
/// At the end of each iteration: begin, one add per carried value, commit.
/// No-ops without --checkpoint.
void sluice_rt_checkpoint_begin(int64_t iteration);
void sluice_rt_checkpoint_add(int64_t index, intptr_t data, int64_t elements,
                              int64_t dtype);
void sluice_rt_checkpoint_commit(intptr_t where);
}

#endif // SLUICE_RUNTIME_CHECKPOINT_H
