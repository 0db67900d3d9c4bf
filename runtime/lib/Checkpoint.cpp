//===- Checkpoint.cpp - saving and resuming a training loop ---------------===//

#include "sluice/Runtime/Checkpoint.h"
#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Profile.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace sluice::rt {

// The dtype codes generated code passes (sluice-checkpoint-loops).
static_assert(int(DType::Bool) == 0 && int(DType::Int32) == 3 &&
                  int(DType::Int64) == 4 && int(DType::Float32) == 5 &&
                  int(DType::Float64) == 6,
              "the compiler's checkpoint dtype codes");

namespace {
std::string stateName(int64_t index) {
  return "state_" + std::to_string(index);
}

} // namespace

int64_t Checkpointer::resume(int64_t states, std::string &error,
                             int64_t iterations) {
  if (resumeDir.empty())
    return -1;
  std::string path = resumeDir + "/checkpoint.npz";
  loaded.clear();
  bool read = false;
  try {
    read = readNpz(path, loaded, error);
  } catch (const std::bad_alloc &) {
    error = "";
  } catch (const std::length_error &) {
    error = "";
  }
  if (!read && error.empty()) {
    // A member's data: readFileBytes and parseNpy report their own.
    std::vector<std::pair<std::string, NpyArray>>().swap(loaded);
    struct stat info;
    error = path + ": out of memory reading the archive: it holds " +
            describeBytes(
                stat(path.c_str(), &info) == 0 ? uint64_t(info.st_size) : 0);
  }
  if (!read) {
    error = "--resume " + resumeDir + ": cannot read a checkpoint: " + error;
    return -1;
  }
  const NpyArray *iteration = nullptr;
  int64_t found = 0;
  for (const auto &[name, array] : loaded) {
    if (name == "iteration")
      iteration = &array;
    else if (name.rfind("state_", 0) == 0)
      ++found;
  }
  if (!iteration || iteration->dtype != DType::Int64 ||
      iteration->numElements() != 1) {
    error = path + ": has no int64 'iteration'; not a sluice checkpoint";
    return -1;
  }
  if (found != states) {
    error = path + " holds " + std::to_string(found) +
            " values, but this program's training loop carries " +
            std::to_string(states) + ": it was written by another program";
    return -1;
  }
  int64_t last = iteration->as<int64_t>()[0];
  if (last < 0) {
    error = path + ": 'iteration' is " + std::to_string(last) +
            ", not the number of a completed iteration (from 0): the "
            "checkpoint is corrupt";
    return -1;
  }
  if (iterations >= 0 && last >= iterations) {
    error = path + ": 'iteration' is " + std::to_string(last) +
            ", past the training loop's " + std::to_string(iterations) +
            " iterations: the checkpoint is corrupt or was written with more "
            "iterations";
    return -1;
  }
  return last;
}

std::string Checkpointer::checkSaveDirectory() const {
  if (saveDir.empty())
    return "";
  auto failure = [&](const std::string &what) {
    return "--checkpoint " + saveDir + ": " + what;
  };
  struct stat info;
  if (stat(saveDir.c_str(), &info) != 0) {
    if (errno != ENOENT)
      return failure(std::string("cannot create the directory: ") +
                     std::strerror(errno));
    // commit() creates it (not its parents): try, and leave nothing behind
    // (access() on the parent would not do: root passes it even where
    // nothing can be created, as in /proc).
    if (mkdir(saveDir.c_str(), 0755) != 0)
      return failure(std::string("cannot create the directory: ") +
                     std::strerror(errno));
    rmdir(saveDir.c_str());
    return "";
  }
  if (!S_ISDIR(info.st_mode))
    return failure("not a directory");
  if (access(saveDir.c_str(), W_OK | X_OK) != 0)
    return failure(std::string("cannot write in the directory: ") +
                   std::strerror(errno));
  std::string archive = saveDir + "/checkpoint.npz";
  if (stat(archive.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
    return failure(archive + ": is a directory, not a file");
  return "";
}

std::string Checkpointer::load(int64_t index, void *out, int64_t elements,
                               DType dtype) {
  std::string name = stateName(index);
  for (const auto &[member, array] : loaded) {
    if (member != name)
      continue;
    if (array.dtype != dtype || array.numElements() != elements)
      return resumeDir + "/checkpoint.npz: " + name + " has " +
             std::to_string(array.numElements()) + " values of " +
             dtypeDescr(array.dtype) + ", but this program's value has " +
             std::to_string(elements) + " of " + dtypeDescr(dtype) +
             ": it was written by another program or with other sizes";
    std::memcpy(out, array.data.data(), array.data.size());
    return "";
  }
  return resumeDir + "/checkpoint.npz: has no " + name;
}

void Checkpointer::begin(int64_t iteration) {
  pending.clear();
  if (saveDir.empty())
    return;
  NpyArray array;
  array.dtype = DType::Int64;
  array.shape = {1};
  array.data.resize(sizeof(int64_t));
  std::memcpy(array.data.data(), &iteration, sizeof iteration);
  pending.emplace_back("iteration", std::move(array));
}

void Checkpointer::add(int64_t index, const void *data, int64_t elements,
                       DType dtype) {
  if (saveDir.empty())
    return;
  NpyArray array;
  array.dtype = dtype;
  array.shape = {elements};
  array.data.resize(elements * dtypeSize(dtype));
  std::memcpy(array.data.data(), data, array.data.size());
  pending.emplace_back(stateName(index), std::move(array));
}

std::string Checkpointer::commit() {
  if (saveDir.empty())
    return "";
  if (mkdir(saveDir.c_str(), 0755) != 0 && errno != EEXIST)
    return "--checkpoint " + saveDir +
           ": cannot create the directory: " + std::strerror(errno);
  std::string error;
  if (!writeNpz(saveDir + "/checkpoint.npz", pending, error))
    return "--checkpoint " + saveDir + ": " + error;
  pending.clear();
  return "";
}

Checkpointer &programCheckpoints() {
  static Checkpointer checkpointer;
  return checkpointer;
}

} // namespace sluice::rt

using namespace sluice::rt;

extern "C" void sluice_rt_checkpoint_available() {
  programCheckpoints().markAvailable();
}

extern "C" void sluice_rt_checkpoint_precheck(int64_t states, intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  std::string error;
  programCheckpoints().resume(states, error);
  if (!error.empty())
    fatalErrorAt(where, error);
}

extern "C" int64_t sluice_rt_checkpoint_resume(int64_t states,
                                               int64_t iterations,
                                               intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  std::string error;
  int64_t iteration = programCheckpoints().resume(states, error, iterations);
  if (!error.empty())
    fatalErrorAt(where, error);
  return iteration;
}

extern "C" void sluice_rt_checkpoint_load(int64_t index, intptr_t out,
                                          int64_t elements, int64_t dtype,
                                          intptr_t where) {
  std::string error = programCheckpoints().load(
      index, reinterpret_cast<void *>(out), elements, DType(dtype));
  if (!error.empty())
    fatalErrorAt(where, error);
}

extern "C" void sluice_rt_checkpoint_begin(int64_t iteration) {
  programCheckpoints().begin(iteration);
}

extern "C" void sluice_rt_checkpoint_add(int64_t index, intptr_t data,
                                         int64_t elements, int64_t dtype) {
  programCheckpoints().add(index, reinterpret_cast<const void *>(data),
                           elements, DType(dtype));
}

extern "C" void sluice_rt_checkpoint_commit(intptr_t where) {
  sluice::rt::ProfileScope profile(__func__);
  std::string error = programCheckpoints().commit();
  if (!error.empty())
    fatalErrorAt(where, error);
}
