//===- BuiltinSources.h - shared by the builtin: generators -----*- C++ -*-===//
//
// The seeded generator and the `name=value&...` query parsing that the
// `builtin:` datasets and graphs share (BuiltinSources.cpp). Internal to the
// runtime.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_RUNTIME_LIB_BUILTINSOURCES_H
#define SLUICE_RUNTIME_LIB_BUILTINSOURCES_H

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

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

/// The most a `builtin:` generator may allocate in all (its own arrays while
/// it generates): 32 GiB. Larger queries are refused before any allocation.
constexpr uint64_t kMaxGeneratedBytes = uint64_t(32) << 30;

/// The typed settings of a `builtin:` source's query: `name=value` pairs
/// separated by `&`. Each setting is declared with its variable and its
/// range; parse() checks the query strictly: known names, each at most
/// once; integers as plain digits (a leading '-' is read too, so that a
/// negative value gets the range in its message); numbers in plain decimal
/// notation (`0.5`, `.5`, `1e-3`: no spaces, no '+' sign, no `nan`, `inf`
/// or hexadecimal), each within its range.
class QuerySettings {
public:
  /// `kind` names the source in "unknown setting" messages ("sbm").
  explicit QuerySettings(std::string kind) : kind(std::move(kind)) {}
  /// An integer setting in [min, max].
  void integer(const char *name, int64_t &value, int64_t min, int64_t max);
  /// A seed: an integer from 0 to 2^64 - 1.
  void seed(const char *name, uint64_t &value);
  /// A number setting in [min, max].
  void real(const char *name, double &value, double min, double max);
  /// Parses `query` into the declared variables; returns "" or the first
  /// problem: `'nodes' must be at least 2, not 1`.
  std::string parse(const std::string &query);

private:
  enum class Kind { Integer, Seed, Real };
  struct Setting {
    std::string name;
    Kind type;
    void *value;
    __int128 min, max; // Integer and Seed
    double realMin, realMax;
    bool given;
  };
  std::string set(Setting &setting, const std::string &text);
  std::string kind;
  std::vector<Setting> settings;
};

/// What a loader that ran out of memory reports: for a `builtin:` source
/// the `needed` bytes it was generating, for a directory what its `files`
/// (names inside it, those that exist) hold. `what` is "graph" or "dataset".
std::string outOfMemoryLoading(const std::string &source, const char *what,
                               uint64_t needed,
                               const std::vector<std::string> &files);

} // namespace sluice::rt

#endif // SLUICE_RUNTIME_LIB_BUILTINSOURCES_H
