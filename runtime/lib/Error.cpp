//===- Error.cpp - runtime error reporting --------------------------------===//

#include "sluice/Runtime/Error.h"
#include "sluice/Runtime/Runtime.h"

#include <cstdio>
#include <cstdlib>

namespace sluice::rt {

static thread_local std::string lastError;

void fatalError(const std::string &message) {
  std::fprintf(stderr, "sluice: error: %s\n", message.c_str());
  std::fflush(stderr);
  std::exit(1);
}

void fatalErrorAt(intptr_t where, const std::string &message) {
  std::fflush(stdout);
  fatalError(std::string(reinterpret_cast<const char *>(where)) + ": " +
             message);
}

void reportError(const std::string &message) {
  lastError = message;
  std::fprintf(stderr, "sluice: error: %s\n", message.c_str());
}

void clearError() { lastError.clear(); }

} // namespace sluice::rt

extern "C" const char *sluice_rt_last_error() {
  return sluice::rt::lastError.c_str();
}
