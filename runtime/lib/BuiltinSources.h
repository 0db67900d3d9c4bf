//===- BuiltinSources.h - shared by the builtin: generators -----*- C++ -*-===//
//
// The seeded generator and the `name=value&...` query parsing that the
// `builtin:` datasets and graphs share. Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_LIB_BUILTINSOURCES_H
#define SLUICE_RUNTIME_LIB_BUILTINSOURCES_H

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>

namespace sluice::rt {

/// splitmix64, the generator every seeded op of sluice uses.
struct SplitMix {
  uint64_t state;
  uint64_t next() {
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return (next() >> 11) * 0x1.0p-53; } // [0, 1)
  double normal() {                                       // Box-Muller
    double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * v);
  }
};

inline bool parseInteger(const std::string &text, int64_t &value) {
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0')
    return false;
  value = v;
  return true;
}

inline bool parseReal(const std::string &text, double &value) {
  char *end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v))
    return false;
  value = v;
  return true;
}

/// Calls `setting(name, value)` for each `name=value` of `query` (separated
/// by `&`); returns "" or the first error, its own or `setting`'s.
inline std::string forEachSetting(
    const std::string &query,
    const std::function<std::string(const std::string &, const std::string &)>
        &setting) {
  size_t at = 0;
  while (at < query.size()) {
    size_t amp = query.find('&', at);
    std::string pair = query.substr(
        at, amp == std::string::npos ? std::string::npos : amp - at);
    at = amp == std::string::npos ? query.size() : amp + 1;
    size_t eq = pair.find('=');
    if (eq == std::string::npos)
      return "expected name=value in the query, got '" + pair + "'";
    std::string error = setting(pair.substr(0, eq), pair.substr(eq + 1));
    if (!error.empty())
      return error;
  }
  return "";
}

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_LIB_BUILTINSOURCES_H
