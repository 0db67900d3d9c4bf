//===- Lexer.h - Sluice language tokens -------------------------*- C++ -*-===//
//
// Turns a `.sl` buffer into tokens. Every token keeps its exact source range
// (an llvm::SMRange into the SourceMgr's buffer) so that diagnostics can
// underline it; `newlineBefore` lets the parser keep `f\n(x)` from becoming a
// call (see docs/language.md, "Lines").
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_LANGUAGE_LEXER_H
#define SLUICE_LANGUAGE_LEXER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <cstdint>
#include <functional>
#include <string>

namespace sluice::lang {

enum class TokenKind {
  Eof,
  Error, // an invalid character or literal; the lexer has reported it
  Identifier,
  Integer,
  Float,
  String,
  // Keywords.
  KwUse,
  KwParam,
  KwLet,
  KwVar,
  KwModel,
  KwOptimizer,
  KwState,
  KwFn,
  KwPipeline,
  KwSchedule,
  KwFor,
  KwIn,
  KwIf,
  KwElse,
  KwReturn,
  KwLog,
  KwSelect,
  KwBy,
  KwTrue,
  KwFalse,
  KwSelf,
  // Punctuation.
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Semicolon,
  Dot,
  DotDot,
  Arrow,
  Question,
  Assign,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  At,
  Bang,
  EqEq,
  NotEq,
  Less,
  LessEq,
  Greater,
  GreaterEq,
  AndAnd,
  OrOr,
};

/// How a token kind is spelled in messages: "`(`", "identifier", ...
llvm::StringRef spelling(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::Eof;
  llvm::StringRef text; // points into the source buffer
  bool newlineBefore = false;

  llvm::SMLoc loc() const { return llvm::SMLoc::getFromPointer(text.data()); }
  llvm::SMRange range() const {
    return {loc(), llvm::SMLoc::getFromPointer(text.data() + text.size())};
  }
  bool is(TokenKind k) const { return kind == k; }
};

/// Reports a lexical error at a range.
using LexErrorFn = std::function<void(llvm::SMRange, const std::string &)>;

class Lexer {
public:
  Lexer(llvm::StringRef buffer, LexErrorFn onError)
      : buffer(buffer), cursor(buffer.begin()), onError(std::move(onError)) {}

  Token next();

  /// The value of an Integer token (false on overflow; reported by next()).
  static bool integerValue(llvm::StringRef text, int64_t &value);
  /// The value of a Float token.
  static double floatValue(llvm::StringRef text);
  /// The contents of a String token with escapes resolved.
  static std::string stringValue(llvm::StringRef text);

private:
  Token make(TokenKind kind, const char *start);
  Token lexNumber(const char *start);
  Token lexString(const char *start);
  Token lexIdentifier(const char *start);
  bool skipSpaceAndComments(); // returns whether a newline was crossed

  llvm::StringRef buffer;
  const char *cursor;
  bool sawNewline = true;
  LexErrorFn onError;
};

} // namespace sluice::lang

#endif // SLUICE_LANGUAGE_LEXER_H
