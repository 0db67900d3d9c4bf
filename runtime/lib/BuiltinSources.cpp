//===- BuiltinSources.cpp - the builtin: generators' query settings -------===//

#include "BuiltinSources.h"
#include "sluice/Runtime/Error.h"

#include <algorithm>
#include <cstdio>
#include <sys/stat.h>

namespace sluice::rt {
namespace {

std::string integerText(__int128 value) {
  if (value < 0)
    return "-" + integerText(-value);
  std::string digits;
  do {
    digits.insert(digits.begin(), char('0' + int(value % 10)));
    value /= 10;
  } while (value != 0);
  return digits;
}

std::string realText(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// `-?[0-9]+`, as a value saturated beyond 2^64 either way.
bool parsePlainInteger(const std::string &text, __int128 &value) {
  size_t at = !text.empty() && text[0] == '-' ? 1 : 0;
  if (at == text.size())
    return false;
  __int128 magnitude = 0, saturated = (__int128(1) << 65);
  for (; at < text.size(); ++at) {
    if (!isDigit(text[at]))
      return false;
    magnitude =
        std::min<__int128>(magnitude * 10 + (text[at] - '0'), saturated);
  }
  value = text[0] == '-' ? -magnitude : magnitude;
  return true;
}

/// Plain decimal notation: `-?(digits[.digits]|.digits)([eE][-+]?digits)?`.
bool parsePlainReal(const std::string &text, double &value) {
  size_t at = !text.empty() && text[0] == '-' ? 1 : 0;
  size_t mantissaDigits = 0;
  while (at < text.size() && isDigit(text[at]))
    ++at, ++mantissaDigits;
  if (at < text.size() && text[at] == '.')
    for (++at; at < text.size() && isDigit(text[at]); ++at)
      ++mantissaDigits;
  if (mantissaDigits == 0)
    return false;
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '-' || text[at] == '+'))
      ++at;
    size_t exponentDigits = 0;
    for (; at < text.size() && isDigit(text[at]); ++at)
      ++exponentDigits;
    if (exponentDigits == 0)
      return false;
  }
  if (at != text.size())
    return false;
  value = std::strtod(text.c_str(), nullptr); // +-inf past the double range
  return true;
}

} // namespace

void QuerySettings::integer(const char *name, int64_t &value, int64_t min,
                            int64_t max) {
  settings.push_back({name, Kind::Integer, &value, min, max, 0, 0, false});
}

void QuerySettings::seed(const char *name, uint64_t &value) {
  settings.push_back(
      {name, Kind::Seed, &value, 0, __int128(~uint64_t(0)), 0, 0, false});
}

void QuerySettings::real(const char *name, double &value, double min,
                         double max) {
  settings.push_back({name, Kind::Real, &value, 0, 0, min, max, false});
}

std::string QuerySettings::set(Setting &setting, const std::string &text) {
  std::string quoted = "'" + setting.name + "'";
  if (setting.type == Kind::Real) {
    double value;
    if (!parsePlainReal(text, value))
      return quoted + " must be a number from " + realText(setting.realMin) +
             " to " + realText(setting.realMax) + ", not '" + text + "'";
    if (value < setting.realMin)
      return quoted + " must be at least " + realText(setting.realMin) +
             ", not " + text;
    if (value > setting.realMax)
      return quoted + " must be at most " + realText(setting.realMax) +
             ", not " + text;
    *static_cast<double *>(setting.value) = value;
    return "";
  }
  __int128 value;
  if (!parsePlainInteger(text, value))
    return quoted + " must be an integer from " + integerText(setting.min) +
           " to " + integerText(setting.max) + ", not '" + text + "'";
  if (value < setting.min)
    return quoted + " must be at least " + integerText(setting.min) + ", not " +
           text;
  if (value > setting.max)
    return quoted + " must be at most " + integerText(setting.max) + ", not " +
           text;
  if (setting.type == Kind::Seed)
    *static_cast<uint64_t *>(setting.value) = uint64_t(value);
  else
    *static_cast<int64_t *>(setting.value) = int64_t(value);
  return "";
}

std::string QuerySettings::parse(const std::string &query) {
  size_t at = 0;
  while (at < query.size()) {
    size_t amp = query.find('&', at);
    std::string pair = query.substr(
        at, amp == std::string::npos ? std::string::npos : amp - at);
    at = amp == std::string::npos ? query.size() : amp + 1;
    size_t eq = pair.find('=');
    if (eq == std::string::npos)
      return "expected name=value in the query, got '" + pair + "'";
    std::string name = pair.substr(0, eq);
    Setting *setting = nullptr;
    for (Setting &candidate : settings)
      if (candidate.name == name)
        setting = &candidate;
    if (!setting) {
      std::string known;
      for (const Setting &candidate : settings)
        known += (known.empty() ? "" : ", ") + candidate.name;
      return "unknown setting '" + name + "' (" + kind + " takes " + known +
             ")";
    }
    if (setting->given)
      return "'" + name + "' is given twice";
    std::string error = set(*setting, pair.substr(eq + 1));
    if (!error.empty())
      return error;
    setting->given = true;
  }
  return "";
}

std::string outOfMemoryLoading(const std::string &source, const char *what,
                               uint64_t needed,
                               const std::vector<std::string> &files) {
  if (source.rfind("builtin:", 0) == 0)
    return source + ": out of memory generating the " + what + ": it needs " +
           describeBytes(needed);
  uint64_t held = 0;
  for (const std::string &name : files) {
    struct stat info;
    if (stat((source + "/" + name).c_str(), &info) == 0)
      held += uint64_t(info.st_size);
  }
  return source + ": out of memory loading the " + what + ": its files hold " +
         describeBytes(held);
}

} // namespace sluice::rt
