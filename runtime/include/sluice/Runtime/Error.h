//===- Error.h - runtime error reporting ------------------------*- C++ -*-===//

#ifndef SLUICE_RUNTIME_ERROR_H
#define SLUICE_RUNTIME_ERROR_H

#include <cstdint>
#include <string>

namespace sluice::rt {

/// Prints `sluice: error: <message>` and exits with status 1. For failures the
/// generated code has no way to handle (it ignores mgpu* results).
[[noreturn]] void fatalError(const std::string &message);

/// Stops the program: `sluice: error: <where>: <message>`, exit status 1,
/// after what it printed so far (`where` is the NUL-terminated source
/// location compiled code passes).
[[noreturn]] void fatalErrorAt(intptr_t where, const std::string &message);

/// Records `message` as this thread's last error (sluice_rt_last_error) and
/// prints it as `sluice: error: <message>`.
void reportError(const std::string &message);

/// Clears this thread's last error.
void clearError();

/// A size for messages: "123 bytes", "3221225472 bytes (3.0 GiB)",
/// "5242880 bytes (5.0 MiB)".
std::string describeBytes(uint64_t bytes);

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_ERROR_H
