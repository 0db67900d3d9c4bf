//===- MemoryLimit.h - running out of memory in runtime tests ---*- C++ -*-===//

#ifndef SLUICE_TEST_RUNTIME_MEMORYLIMIT_H
#define SLUICE_TEST_RUNTIME_MEMORYLIMIT_H

#include <cstdint>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

namespace sluice::test {

/// Limits the process's address space to what it maps now plus `extra`
/// bytes, so that larger allocations fail (std::bad_alloc). For the child
/// of a death test: the limit stays until it exits.
inline void limitAddressSpace(uint64_t extra) {
  long pages = 0;
  if (FILE *statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld", &pages) != 1)
      pages = 0;
    std::fclose(statm);
  }
  rlimit limit;
  getrlimit(RLIMIT_AS, &limit);
  limit.rlim_cur = uint64_t(pages) * uint64_t(sysconf(_SC_PAGESIZE)) + extra;
  setrlimit(RLIMIT_AS, &limit);
}

} // namespace sluice::test

#endif // SLUICE_TEST_RUNTIME_MEMORYLIMIT_H
