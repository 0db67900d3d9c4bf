//===- Parser.h - Sluice language parser ------------------------*- C++ -*-===//
//
// A recursive-descent parser over the grammar of docs/language.md. It
// recovers at statement and item boundaries, so one run reports every
// independent syntax error, and it never gives up on a file: the returned
// module holds everything that parsed.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_LANGUAGE_PARSER_H
#define SLUICE_LANGUAGE_PARSER_H

#include "sluice/Language/AST.h"
#include "sluice/Language/Diagnostics.h"

#include <memory>

namespace sluice::lang {

/// Parses buffer `bufferId` of the reporter's SourceMgr. Errors go to the
/// reporter; check its errorCount().
std::unique_ptr<Module> parseModule(unsigned bufferId, Reporter &reporter);

} // namespace sluice::lang

#endif // SLUICE_LANGUAGE_PARSER_H
