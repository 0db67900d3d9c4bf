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

std::string describeBytes(uint64_t bytes) {
  std::string text = std::to_string(bytes) + " bytes";
  char scaled[32] = "";
  if (bytes >= (uint64_t(1) << 30))
    std::snprintf(scaled, sizeof scaled, " (%.1f GiB)",
                  double(bytes) / double(uint64_t(1) << 30));
  else if (bytes >= (uint64_t(1) << 20))
    std::snprintf(scaled, sizeof scaled, " (%.1f MiB)",
                  double(bytes) / double(uint64_t(1) << 20));
  return text + scaled;
}

} // namespace sluice::rt

extern "C" const char *sluice_rt_last_error() {
  return sluice::rt::lastError.c_str();
}
