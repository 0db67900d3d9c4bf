//===- Lexer.cpp - Sluice language tokens ---------------------------------===//

#include "sluice/Language/Lexer.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace sluice::lang {

llvm::StringRef spelling(TokenKind kind) {
  switch (kind) {
  case TokenKind::Eof:
    return "end of file";
  case TokenKind::Error:
    return "invalid token";
  case TokenKind::Identifier:
    return "identifier";
  case TokenKind::Integer:
    return "integer";
  case TokenKind::Float:
    return "number";
  case TokenKind::String:
    return "string";
  case TokenKind::KwUse:
    return "`use`";
  case TokenKind::KwParam:
    return "`param`";
  case TokenKind::KwLet:
    return "`let`";
  case TokenKind::KwVar:
    return "`var`";
  case TokenKind::KwModel:
    return "`model`";
  case TokenKind::KwOptimizer:
    return "`optimizer`";
  case TokenKind::KwState:
    return "`state`";
  case TokenKind::KwFn:
    return "`fn`";
  case TokenKind::KwPipeline:
    return "`pipeline`";
  case TokenKind::KwSchedule:
    return "`schedule`";
  case TokenKind::KwFor:
    return "`for`";
  case TokenKind::KwIn:
    return "`in`";
  case TokenKind::KwIf:
    return "`if`";
  case TokenKind::KwElse:
    return "`else`";
  case TokenKind::KwReturn:
    return "`return`";
  case TokenKind::KwLog:
    return "`log`";
  case TokenKind::KwSelect:
    return "`select`";
  case TokenKind::KwBy:
    return "`by`";
  case TokenKind::KwTrue:
    return "`true`";
  case TokenKind::KwFalse:
    return "`false`";
  case TokenKind::KwSelf:
    return "`self`";
  case TokenKind::LParen:
    return "`(`";
  case TokenKind::RParen:
    return "`)`";
  case TokenKind::LBracket:
    return "`[`";
  case TokenKind::RBracket:
    return "`]`";
  case TokenKind::LBrace:
    return "`{`";
  case TokenKind::RBrace:
    return "`}`";
  case TokenKind::Comma:
    return "`,`";
  case TokenKind::Colon:
    return "`:`";
  case TokenKind::Semicolon:
    return "`;`";
  case TokenKind::Dot:
    return "`.`";
  case TokenKind::DotDot:
    return "`..`";
  case TokenKind::Arrow:
    return "`->`";
  case TokenKind::Question:
    return "`?`";
  case TokenKind::Assign:
    return "`=`";
  case TokenKind::Plus:
    return "`+`";
  case TokenKind::Minus:
    return "`-`";
  case TokenKind::Star:
    return "`*`";
  case TokenKind::Slash:
    return "`/`";
  case TokenKind::Percent:
    return "`%`";
  case TokenKind::At:
    return "`@`";
  case TokenKind::Bang:
    return "`!`";
  case TokenKind::EqEq:
    return "`==`";
  case TokenKind::NotEq:
    return "`!=`";
  case TokenKind::Less:
    return "`<`";
  case TokenKind::LessEq:
    return "`<=`";
  case TokenKind::Greater:
    return "`>`";
  case TokenKind::GreaterEq:
    return "`>=`";
  case TokenKind::AndAnd:
    return "`&&`";
  case TokenKind::OrOr:
    return "`||`";
  }
  return "token";
}

Token Lexer::make(TokenKind kind, const char *start) {
  Token token;
  token.kind = kind;
  token.text = llvm::StringRef(start, cursor - start);
  token.newlineBefore = sawNewline;
  sawNewline = false;
  return token;
}

bool Lexer::skipSpaceAndComments() {
  bool newline = false;
  const char *end = buffer.end();
  while (cursor < end) {
    char c = *cursor;
    if (c == '\n') {
      newline = true;
      ++cursor;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++cursor;
    } else if (c == '/' && cursor + 1 < end && cursor[1] == '/') {
      while (cursor < end && *cursor != '\n')
        ++cursor;
    } else if (c == '/' && cursor + 1 < end && cursor[1] == '*') {
      const char *start = cursor;
      cursor += 2;
      while (cursor < end &&
             !(*cursor == '*' && cursor + 1 < end && cursor[1] == '/')) {
        newline |= *cursor == '\n';
        ++cursor;
      }
      if (cursor >= end) {
        onError({llvm::SMLoc::getFromPointer(start),
                 llvm::SMLoc::getFromPointer(start + 2)},
                "unterminated `/*` comment");
        return newline;
      }
      cursor += 2;
    } else {
      break;
    }
  }
  return newline;
}

Token Lexer::next() {
  sawNewline |= skipSpaceAndComments();
  const char *start = cursor;
  const char *end = buffer.end();
  if (cursor >= end)
    return make(TokenKind::Eof, start);
  char c = *cursor++;
  auto peekIs = [&](char expected) {
    if (cursor < end && *cursor == expected) {
      ++cursor;
      return true;
    }
    return false;
  };
  if (std::isalpha(static_cast<unsigned char>(c)) || c == '_')
    return lexIdentifier(start);
  if (std::isdigit(static_cast<unsigned char>(c)))
    return lexNumber(start);
  switch (c) {
  case '"':
    return lexString(start);
  case '(':
    return make(TokenKind::LParen, start);
  case ')':
    return make(TokenKind::RParen, start);
  case '[':
    return make(TokenKind::LBracket, start);
  case ']':
    return make(TokenKind::RBracket, start);
  case '{':
    return make(TokenKind::LBrace, start);
  case '}':
    return make(TokenKind::RBrace, start);
  case ',':
    return make(TokenKind::Comma, start);
  case ':':
    return make(TokenKind::Colon, start);
  case ';':
    return make(TokenKind::Semicolon, start);
  case '?':
    return make(TokenKind::Question, start);
  case '+':
    return make(TokenKind::Plus, start);
  case '*':
    return make(TokenKind::Star, start);
  case '/':
    return make(TokenKind::Slash, start);
  case '%':
    return make(TokenKind::Percent, start);
  case '@':
    return make(TokenKind::At, start);
  case '.':
    return make(peekIs('.') ? TokenKind::DotDot : TokenKind::Dot, start);
  case '-':
    return make(peekIs('>') ? TokenKind::Arrow : TokenKind::Minus, start);
  case '=':
    return make(peekIs('=') ? TokenKind::EqEq : TokenKind::Assign, start);
  case '!':
    return make(peekIs('=') ? TokenKind::NotEq : TokenKind::Bang, start);
  case '<':
    return make(peekIs('=') ? TokenKind::LessEq : TokenKind::Less, start);
  case '>':
    return make(peekIs('=') ? TokenKind::GreaterEq : TokenKind::Greater, start);
  case '&':
    if (peekIs('&'))
      return make(TokenKind::AndAnd, start);
    break;
  case '|':
    if (peekIs('|'))
      return make(TokenKind::OrOr, start);
    break;
  default:
    break;
  }
  // Skip the rest of a multi-byte UTF-8 character so it is one error.
  while (cursor < end && (static_cast<unsigned char>(*cursor) & 0xC0) == 0x80)
    ++cursor;
  Token token = make(TokenKind::Error, start);
  std::string shown;
  if (static_cast<unsigned char>(c) >= 0x20 &&
      static_cast<unsigned char>(c) < 0x7F)
    shown = "`" + std::string(1, c) + "`";
  else {
    llvm::raw_string_ostream os(shown);
    os << "byte 0x";
    os.write_hex(static_cast<unsigned char>(c));
  }
  if (c == '&' || c == '|')
    onError(token.range(), "unexpected " + shown + "; did you mean `" +
                               std::string(2, c) + "`?");
  else
    onError(token.range(), "unexpected character " + shown);
  return token;
}

Token Lexer::lexIdentifier(const char *start) {
  const char *end = buffer.end();
  while (cursor < end &&
         (std::isalnum(static_cast<unsigned char>(*cursor)) || *cursor == '_'))
    ++cursor;
  llvm::StringRef text(start, cursor - start);
  TokenKind kind = llvm::StringSwitch<TokenKind>(text)
                       .Case("use", TokenKind::KwUse)
                       .Case("param", TokenKind::KwParam)
                       .Case("let", TokenKind::KwLet)
                       .Case("var", TokenKind::KwVar)
                       .Case("model", TokenKind::KwModel)
                       .Case("optimizer", TokenKind::KwOptimizer)
                       .Case("state", TokenKind::KwState)
                       .Case("fn", TokenKind::KwFn)
                       .Case("pipeline", TokenKind::KwPipeline)
                       .Case("schedule", TokenKind::KwSchedule)
                       .Case("for", TokenKind::KwFor)
                       .Case("in", TokenKind::KwIn)
                       .Case("if", TokenKind::KwIf)
                       .Case("else", TokenKind::KwElse)
                       .Case("return", TokenKind::KwReturn)
                       .Case("log", TokenKind::KwLog)
                       .Case("select", TokenKind::KwSelect)
                       .Case("by", TokenKind::KwBy)
                       .Case("true", TokenKind::KwTrue)
                       .Case("false", TokenKind::KwFalse)
                       .Case("self", TokenKind::KwSelf)
                       .Default(TokenKind::Identifier);
  return make(kind, start);
}

Token Lexer::lexNumber(const char *start) {
  const char *end = buffer.end();
  auto digits = [&] {
    while (cursor < end && (std::isdigit(static_cast<unsigned char>(*cursor)) ||
                            *cursor == '_'))
      ++cursor;
  };
  digits();
  bool isFloat = false;
  // `1..n` is a range, not the float `1.` followed by `.n`.
  if (cursor < end && *cursor == '.' &&
      !(cursor + 1 < end && cursor[1] == '.') &&
      !(cursor + 1 < end &&
        (std::isalpha(static_cast<unsigned char>(cursor[1])) ||
         cursor[1] == '_'))) {
    isFloat = true;
    ++cursor;
    digits();
  }
  if (cursor < end && (*cursor == 'e' || *cursor == 'E')) {
    const char *mark = cursor;
    ++cursor;
    if (cursor < end && (*cursor == '+' || *cursor == '-'))
      ++cursor;
    if (cursor < end && std::isdigit(static_cast<unsigned char>(*cursor))) {
      isFloat = true;
      digits();
    } else {
      cursor = mark; // `2e` is the integer 2 followed by `e`; the parser says
    }
  }
  Token token = make(isFloat ? TokenKind::Float : TokenKind::Integer, start);
  if (cursor < end &&
      (std::isalpha(static_cast<unsigned char>(*cursor)) || *cursor == '_')) {
    const char *suffix = cursor;
    while (cursor < end && (std::isalnum(static_cast<unsigned char>(*cursor)) ||
                            *cursor == '_'))
      ++cursor;
    token.kind = TokenKind::Error;
    token.text = llvm::StringRef(start, cursor - start);
    onError(token.range(), "invalid suffix `" +
                               std::string(suffix, cursor - suffix) +
                               "` on number literal");
    return token;
  }
  int64_t value;
  if (!isFloat && !integerValue(token.text, value)) {
    onError(token.range(), "integer literal `" + token.text.str() +
                               "` does not fit in 64 bits");
    token.kind = TokenKind::Error;
  }
  // A float literal past the largest double would silently be infinity.
  if (isFloat && std::isinf(floatValue(token.text))) {
    onError(token.range(), "float literal `" + token.text.str() +
                               "` is too large for a 64-bit float");
    token.kind = TokenKind::Error;
  }
  return token;
}

Token Lexer::lexString(const char *start) {
  const char *end = buffer.end();
  while (cursor < end && *cursor != '"' && *cursor != '\n') {
    if (*cursor == '\\') {
      ++cursor;
      if (cursor >= end || *cursor == '\n')
        break;
      char e = *cursor;
      if (e != 'n' && e != 't' && e != '\\' && e != '"') {
        onError({llvm::SMLoc::getFromPointer(cursor - 1),
                 llvm::SMLoc::getFromPointer(cursor + 1)},
                "unknown escape `\\" + std::string(1, e) +
                    "` in string (known: \\n \\t \\\\ \\\")");
      }
    }
    ++cursor;
  }
  if (cursor >= end || *cursor != '"') {
    Token token = make(TokenKind::Error, start);
    onError(token.range(), "unterminated string literal");
    return token;
  }
  ++cursor;
  return make(TokenKind::String, start);
}

bool Lexer::integerValue(llvm::StringRef text, int64_t &value) {
  uint64_t result = 0;
  for (char c : text) {
    if (c == '_')
      continue;
    unsigned digit = c - '0';
    if (result > (uint64_t(INT64_MAX) - digit) / 10)
      return false;
    result = result * 10 + digit;
  }
  value = static_cast<int64_t>(result);
  return true;
}

double Lexer::floatValue(llvm::StringRef text) {
  std::string clean;
  for (char c : text)
    if (c != '_')
      clean += c;
  return std::strtod(clean.c_str(), nullptr);
}

std::string Lexer::stringValue(llvm::StringRef text) {
  std::string value;
  llvm::StringRef body = text.drop_front().drop_back();
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\\' && i + 1 < body.size()) {
      char e = body[++i];
      value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    } else {
      value += c;
    }
  }
  return value;
}

} // namespace sluice::lang
