//===- TempDir.h - a temporary directory for runtime tests ------*- C++ -*-===//

#ifndef SLUICE_TEST_RUNTIME_TEMPDIR_H
#define SLUICE_TEST_RUNTIME_TEMPDIR_H

#include <cstdlib>
#include <string>
#include <unistd.h>

namespace sluice::test {

/// A fresh directory under /tmp, removed with everything in it at the end
/// of the scope.
struct TempDir {
  std::string path;
  explicit TempDir(const char *prefix = "sluice") {
    std::string pattern = std::string("/tmp/") + prefix + "-XXXXXX";
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
};

} // namespace sluice::test

#endif // SLUICE_TEST_RUNTIME_TEMPDIR_H
