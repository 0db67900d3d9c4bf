//===- Profile.h - where a compiled program's time goes ---------*- C++ -*-===//
//
// SLUICE_PROFILE=1 makes a compiled program print, when it exits, a table of
// the time spent in each runtime entry point that generated code calls (the
// sampler, matrix products, host loops, copies) and in each GPU kernel, with
// calls and shares of the run. Off, each scope costs one branch on a cached
// flag.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_PROFILE_H
#define SLUICE_RUNTIME_PROFILE_H

#include <chrono>
#include <cstdio>
#include <string>

namespace sluice::rt {

/// Whether SLUICE_PROFILE is set (and not "0").
bool profiling();

/// Ends the name of a row timed on a thread of its own (a sample running
/// ahead) rather than the program's: its time overlaps the other rows', so
/// it is not taken from the program's remaining time.
inline constexpr const char *kBackgroundProfileSuffix = " [background]";

/// Adds one call of `seconds` to the row `name`.
void recordProfile(const std::string &name, double seconds);

/// Times its own lifetime into the row `name`, if profiling and if no other
/// scope is open on this thread (an entry point that calls another is
/// counted once, under the outer name).
class ProfileScope {
public:
  explicit ProfileScope(std::string name);
  ~ProfileScope();
  ProfileScope(const ProfileScope &) = delete;
  ProfileScope &operator=(const ProfileScope &) = delete;

private:
  bool recording = false;
  std::string name;
  std::chrono::steady_clock::time_point start;
};

/// The table, longest total first, against the wall time since profiling()
/// was first asked (a compiled program asks as it parses its arguments),
/// with the time in no row (generated host code, kernel launches) last.
/// Printed to stderr at exit when profiling.
void printProfile(std::FILE *out);

/// Forgets every row (tests).
void resetProfile();

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_PROFILE_H
