//===- Parser.cpp - Sluice language parser --------------------------------===//
//
// Error recovery follows the usual panic-mode scheme: after an error the
// parser skips to the next token that can start a statement on a new line (or
// an item at the top level, or the closing brace of the enclosing block) and
// reports nothing until it gets there, so each independent mistake is
// reported once and follow-on noise is not.
//
//===----------------------------------------------------------------------===//

#include "sluice/Language/Parser.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace sluice::lang {
namespace {

/// Deeper nesting than this is reported instead of recursing on: a fuzzer's
/// `((((...` must not overflow the stack.
constexpr unsigned kMaxDepth = 200;

class Parser {
public:
  Parser(StringRef buffer, Reporter &diagnostics)
      : reporter(diagnostics),
        lexer(buffer, [this](SMRange range, const std::string &msg) {
          // Lookahead re-lexes a token; report each lexical error once.
          if (reportedLexErrors.insert(range.Start.getPointer()).second)
            reporter.error(range, msg);
          // What the bad token leaves unparsable is not a second error.
          panicking = true;
        }) {
    advance();
  }

  std::unique_ptr<Module> parseModule();

private:
  // Tokens.
  void advance() {
    previousEnd = token.text.empty() ? token.loc()
                                     : SMLoc::getFromPointer(token.text.end());
    token = lexer.next();
    while (token.is(TokenKind::Error))
      token = lexer.next(); // the lexer reported it
  }
  bool at(TokenKind kind) const { return token.is(kind); }
  bool consumeIf(TokenKind kind) {
    if (!at(kind))
      return false;
    advance();
    return true;
  }
  bool expect(TokenKind kind, StringRef context) {
    if (consumeIf(kind))
      return true;
    errorAtToken("expected " + spelling(kind).str() + " " + context.str() +
                 ", found " + describe(token));
    return false;
  }
  std::string describe(const Token &t) const {
    if (t.is(TokenKind::Eof))
      return "end of file";
    if (t.is(TokenKind::Identifier))
      return "identifier `" + t.text.str() + "`";
    if (t.is(TokenKind::Integer) || t.is(TokenKind::Float))
      return "number `" + t.text.str() + "`";
    if (t.is(TokenKind::String))
      return "string " + t.text.str();
    return spelling(t.kind).str();
  }
  SMRange rangeFrom(SMLoc start) const { return {start, previousEnd}; }

  // Errors: one per panic, then silence until resynchronized.
  void error(SMRange range, const Twine &msg) {
    if (panicking)
      return;
    reporter.error(range, msg);
    panicking = true;
  }
  void errorAtToken(const Twine &msg) {
    if (at(TokenKind::Eof))
      error({previousEnd, previousEnd}, msg);
    else
      error(token.range(), msg);
  }
  bool startsStatement() const {
    switch (token.kind) {
    case TokenKind::KwLet:
    case TokenKind::KwVar:
    case TokenKind::KwFor:
    case TokenKind::KwIf:
    case TokenKind::KwReturn:
    case TokenKind::KwLog:
      return true;
    default:
      return false;
    }
  }
  bool startsItem() const {
    switch (token.kind) {
    case TokenKind::KwUse:
    case TokenKind::KwParam:
    case TokenKind::KwModel:
    case TokenKind::KwOptimizer:
    case TokenKind::KwFn:
    case TokenKind::KwPipeline:
    case TokenKind::KwSchedule:
      return true;
    default:
      return false;
    }
  }
  /// Skips to a plausible restart point: a statement or item keyword, a
  /// token on a new line at the same bracket depth, or the `}` closing the
  /// current block (left for the caller).
  void synchronize(bool topLevel) {
    if (!panicking)
      return;
    int depth = 0;
    // Stop at a restart point, but always move past the token an earlier
    // synchronization stopped at, so that recovery makes progress.
    bool first = token.text.data() == lastSyncStop;
    while (!at(TokenKind::Eof)) {
      if (depth == 0 && !first) {
        if (startsItem() || (!topLevel && startsStatement()) ||
            (topLevel && (at(TokenKind::KwLet) || at(TokenKind::KwVar))))
          break;
        if (at(TokenKind::RBrace) && !topLevel)
          break;
        if (token.newlineBefore && !topLevel &&
            (at(TokenKind::Identifier) || at(TokenKind::KwSelf)))
          break;
      }
      first = false;
      if (at(TokenKind::LParen) || at(TokenKind::LBracket) ||
          at(TokenKind::LBrace))
        ++depth;
      else if (at(TokenKind::RParen) || at(TokenKind::RBracket) ||
               at(TokenKind::RBrace)) {
        if (depth == 0) {
          if (at(TokenKind::RBrace) && !topLevel)
            break;
        } else {
          --depth;
        }
      }
      advance();
    }
    lastSyncStop = token.text.data();
    panicking = false;
  }

  struct DepthGuard {
    Parser &parser;
    bool ok;
    explicit DepthGuard(Parser &p) : parser(p), ok(++p.depth <= kMaxDepth) {
      if (!ok)
        p.errorAtToken("expression or block nested more than " +
                       Twine(kMaxDepth) + " levels deep");
    }
    ~DepthGuard() { --parser.depth; }
  };

  /// A left-nested chain (`a.b.c`, `f(x)(y)`, `a[i][j]`, `a + b + c`) is
  /// parsed by a loop, but each link is one more level of the tree that sema
  /// walks recursively: its links count against kMaxDepth too.
  struct ChainGuard {
    Parser &parser;
    unsigned links = 0;
    explicit ChainGuard(Parser &p) : parser(p) {}
    bool link() {
      ++links;
      if (++parser.depth <= kMaxDepth)
        return true;
      parser.errorAtToken("expression or block nested more than " +
                          Twine(kMaxDepth) + " levels deep");
      return false;
    }
    ~ChainGuard() { parser.depth -= links; }
  };

  // Items.
  void parseItem(Module &module);
  bool parseIdentifier(std::string &name, SMRange &range, StringRef context);
  bool parseParamDecl(ParamDecl &param, bool allowUntyped, StringRef context);
  bool parseParamList(std::vector<ParamDecl> &params, bool *hasSelf,
                      bool allowUntyped);
  std::unique_ptr<FnDecl> parseFn(bool method);
  std::unique_ptr<ModelDecl> parseModel();
  std::unique_ptr<OptimizerDecl> parseOptimizer();
  std::unique_ptr<ScheduleDecl> parseSchedule();
  bool parseMember(MemberDecl &member);

  // Types.
  TypeExprPtr parseType();
  bool parseDim(DimExpr &dim);

  // Statements.
  void parseBlock(std::vector<StmtPtr> &body, StringRef context);
  StmtPtr parseStatement();
  StmtPtr parseLet(bool isVar);
  StmtPtr parseFor();
  StmtPtr parseIf();
  StmtPtr parseLog();

  // Expressions.
  ExprPtr parseExpr();
  ExprPtr parseRange();
  ExprPtr parseBinary(int minPrecedence);
  ExprPtr parseUnary();
  ExprPtr parsePostfix(ExprPtr base);
  ExprPtr parsePrimary();
  bool parseArgs(std::vector<Arg> &args, TokenKind close, StringRef context);

  Reporter &reporter;
  llvm::DenseSet<const char *> reportedLexErrors;
  const char *lastSyncStop = nullptr;
  Lexer lexer;
  Token token;
  SMLoc previousEnd;
  bool panicking = false;
  unsigned depth = 0;
};

bool Parser::parseIdentifier(std::string &name, SMRange &range,
                             StringRef context) {
  if (!at(TokenKind::Identifier)) {
    errorAtToken("expected a name " + context + ", found " + describe(token));
    return false;
  }
  name = token.text.str();
  range = token.range();
  advance();
  return true;
}

std::unique_ptr<Module> Parser::parseModule() {
  auto module = std::make_unique<Module>();
  while (!at(TokenKind::Eof)) {
    parseItem(*module);
    synchronize(/*topLevel=*/true);
  }
  return module;
}

void Parser::parseItem(Module &module) {
  SMLoc start = token.loc();
  switch (token.kind) {
  case TokenKind::KwUse: {
    advance();
    UseDecl use;
    std::string part;
    SMRange partRange;
    if (!parseIdentifier(part, partRange, "after `use`"))
      return;
    use.path = part;
    while (consumeIf(TokenKind::Dot)) {
      if (!parseIdentifier(part, partRange, "in the module path"))
        return;
      use.path += "." + part;
    }
    use.range = rangeFrom(start);
    module.uses.push_back(std::move(use));
    return;
  }
  case TokenKind::KwParam: {
    advance();
    ParamDecl param;
    if (!parseParamDecl(param, /*allowUntyped=*/false, "program parameter"))
      return;
    param.range = rangeFrom(start);
    module.params.push_back(std::move(param));
    return;
  }
  case TokenKind::KwLet:
  case TokenKind::KwVar: {
    if (StmtPtr let = parseLet(at(TokenKind::KwVar)))
      module.globals.push_back(std::move(let));
    return;
  }
  case TokenKind::KwFn:
    if (auto fn = parseFn(/*method=*/false)) {
      fn->module = &module;
      module.functions.push_back(std::move(fn));
    }
    return;
  case TokenKind::KwModel:
    if (auto model = parseModel()) {
      model->module = &module;
      for (auto &fn : model->methods) {
        fn->owner = model.get();
        fn->module = &module;
      }
      module.models.push_back(std::move(model));
    }
    return;
  case TokenKind::KwOptimizer:
    if (auto opt = parseOptimizer()) {
      opt->module = &module;
      opt->update->module = &module;
      module.optimizers.push_back(std::move(opt));
    }
    return;
  case TokenKind::KwPipeline: {
    advance();
    auto pipeline = std::make_unique<PipelineDecl>();
    if (!parseIdentifier(pipeline->name, pipeline->nameRange,
                         "for the pipeline"))
      return;
    parseBlock(pipeline->body, "to open the pipeline's body");
    pipeline->range = rangeFrom(start);
    module.pipelines.push_back(std::move(pipeline));
    return;
  }
  case TokenKind::KwSchedule:
    if (auto schedule = parseSchedule())
      module.schedules.push_back(std::move(schedule));
    return;
  default:
    if (startsStatement() || at(TokenKind::Identifier))
      errorAtToken("statements belong in a `pipeline` or `fn` body; at the "
                   "top level expected `use`, `param`, `let`, `fn`, `model`, "
                   "`optimizer`, `pipeline` or `schedule`, found " +
                   describe(token));
    else
      errorAtToken("expected `use`, `param`, `let`, `fn`, `model`, "
                   "`optimizer`, `pipeline` or `schedule`, found " +
                   describe(token));
    advance();
    return;
  }
}

bool Parser::parseParamDecl(ParamDecl &param, bool allowUntyped,
                            StringRef context) {
  SMLoc start = token.loc();
  if (!parseIdentifier(param.name, param.nameRange, "for the " + context.str()))
    return false;
  if (consumeIf(TokenKind::Colon)) {
    param.type = parseType();
    if (!param.type)
      return false;
  } else if (!allowUntyped) {
    errorAtToken("expected `:` and a type after " + context.str() + " `" +
                 param.name + "`, found " + describe(token));
    return false;
  }
  if (consumeIf(TokenKind::Assign)) {
    param.defaultValue = parseExpr();
    if (!param.defaultValue)
      return false;
  }
  param.range = rangeFrom(start);
  return true;
}

bool Parser::parseParamList(std::vector<ParamDecl> &params, bool *hasSelf,
                            bool allowUntyped) {
  if (!expect(TokenKind::LParen, "to open the parameter list"))
    return false;
  bool first = true;
  while (!at(TokenKind::RParen)) {
    if (!first && !expect(TokenKind::Comma, "between parameters"))
      return false;
    if (at(TokenKind::RParen))
      break; // trailing comma
    if (at(TokenKind::KwSelf)) {
      if (!hasSelf || !first) {
        errorAtToken(hasSelf ? "`self` must be the first parameter"
                             : "`self` is only a parameter of model methods");
        return false;
      }
      *hasSelf = true;
      advance();
    } else {
      ParamDecl param;
      if (!parseParamDecl(param, allowUntyped, "parameter"))
        return false;
      params.push_back(std::move(param));
    }
    first = false;
  }
  advance();
  return true;
}

std::unique_ptr<FnDecl> Parser::parseFn(bool method) {
  SMLoc start = token.loc();
  advance(); // fn
  auto fn = std::make_unique<FnDecl>();
  if (!parseIdentifier(fn->name, fn->nameRange, "for the function"))
    return nullptr;
  if (!parseParamList(fn->params, method ? &fn->hasSelf : nullptr,
                      /*allowUntyped=*/false))
    return nullptr;
  if (consumeIf(TokenKind::Arrow)) {
    fn->result = parseType();
    if (!fn->result)
      return nullptr;
  }
  unsigned errorsBefore = reporter.errorCount();
  parseBlock(fn->body, "to open the function body");
  fn->bodyHasSyntaxErrors = reporter.errorCount() != errorsBefore;
  fn->range = rangeFrom(start);
  return fn;
}

bool Parser::parseMember(MemberDecl &member) {
  SMLoc start = token.loc();
  if (!parseIdentifier(member.name, member.nameRange, "for the member"))
    return false;
  if (consumeIf(TokenKind::Colon)) {
    member.type = parseType();
    if (!member.type)
      return false;
  }
  if (!expect(TokenKind::Assign, "and an initial value after the member's "
                                 "name"))
    return false;
  member.init = parseExpr();
  if (!member.init)
    return false;
  member.range = rangeFrom(start);
  return true;
}

std::unique_ptr<ModelDecl> Parser::parseModel() {
  SMLoc start = token.loc();
  advance(); // model
  auto model = std::make_unique<ModelDecl>();
  if (!parseIdentifier(model->name, model->nameRange, "for the model"))
    return nullptr;
  if (at(TokenKind::LParen) &&
      !parseParamList(model->ctorParams, nullptr, /*allowUntyped=*/false))
    return nullptr;
  if (!expect(TokenKind::LBrace, "to open the model's body"))
    return nullptr;
  while (!at(TokenKind::RBrace) && !at(TokenKind::Eof)) {
    if (at(TokenKind::KwFn)) {
      if (auto fn = parseFn(/*method=*/true))
        model->methods.push_back(std::move(fn));
    } else if (at(TokenKind::Identifier)) {
      MemberDecl member;
      if (parseMember(member))
        model->members.push_back(std::move(member));
    } else {
      errorAtToken("expected a member (`name = value`, `name: type = "
                   "init`) or a method (`fn`) in model `" +
                   model->name + "`, found " + describe(token));
      advance();
    }
    synchronize(/*topLevel=*/false);
  }
  if (!expect(TokenKind::RBrace, "to close the model's body"))
    return nullptr;
  model->range = rangeFrom(start);
  return model;
}

std::unique_ptr<OptimizerDecl> Parser::parseOptimizer() {
  SMLoc start = token.loc();
  advance(); // optimizer
  auto opt = std::make_unique<OptimizerDecl>();
  if (!parseIdentifier(opt->name, opt->nameRange, "for the optimizer"))
    return nullptr;
  if (at(TokenKind::LParen) &&
      !parseParamList(opt->ctorParams, nullptr, /*allowUntyped=*/false))
    return nullptr;
  if (!expect(TokenKind::LBrace, "to open the optimizer's body"))
    return nullptr;
  while (!at(TokenKind::RBrace) && !at(TokenKind::Eof)) {
    if (consumeIf(TokenKind::KwState)) {
      MemberDecl state;
      if (parseMember(state))
        opt->states.push_back(std::move(state));
    } else if (at(TokenKind::KwFn)) {
      SMRange fnRange = token.range();
      auto fn = parseFn(/*method=*/false);
      if (fn && fn->name != "update") {
        reporter.error(fn->nameRange, "an optimizer has one function, "
                                      "`update`; found `" +
                                          fn->name + "`");
      } else if (fn && opt->update) {
        reporter.error(fnRange,
                       "optimizer `" + opt->name + "` defines `update` twice");
      } else if (fn) {
        opt->update = std::move(fn);
      }
    } else {
      errorAtToken("expected `state` or `fn update` in optimizer `" +
                   opt->name + "`, found " + describe(token));
      advance();
    }
    synchronize(/*topLevel=*/false);
  }
  if (!expect(TokenKind::RBrace, "to close the optimizer's body"))
    return nullptr;
  opt->range = rangeFrom(start);
  if (!opt->update) {
    reporter.error(opt->nameRange, "optimizer `" + opt->name +
                                       "` has no `fn update(w, g, t)` rule");
    return nullptr;
  }
  return opt;
}

std::unique_ptr<ScheduleDecl> Parser::parseSchedule() {
  SMLoc start = token.loc();
  advance(); // schedule
  auto schedule = std::make_unique<ScheduleDecl>();
  if (!parseIdentifier(schedule->name, schedule->nameRange,
                       "of the pipeline this schedule is for"))
    return nullptr;
  if (!expect(TokenKind::LBrace, "to open the schedule"))
    return nullptr;
  auto word = [&](StringRef expected) {
    if (at(TokenKind::Identifier) && token.text == expected) {
      advance();
      return true;
    }
    errorAtToken("expected `" + expected + "`, found " + describe(token));
    return false;
  };
  while (!at(TokenKind::RBrace) && !at(TokenKind::Eof)) {
    SMLoc dstart = token.loc();
    StringRef directive = at(TokenKind::Identifier) ? token.text : "";
    if (directive == "place") {
      advance();
      Directive d{Directive::Place, {}, nullptr, "", 2};
      d.target = parseBinary(/*minPrecedence=*/100); // a path, no operators
      if (!d.target)
        goto next;
      if (!expect(TokenKind::KwIn, "between the table and its placement"))
        goto next;
      if (at(TokenKind::Identifier) && token.text == "device") {
        advance();
        d.placement = "device";
      } else if (at(TokenKind::Identifier) && token.text == "auto") {
        advance();
        d.placement = "auto";
      } else if (at(TokenKind::Identifier) && token.text == "host") {
        advance();
        if (at(TokenKind::Identifier) &&
            (token.text == "zero_copy" || token.text == "staged")) {
          d.placement = "host_" + token.text.str();
          advance();
        } else {
          errorAtToken("expected `zero_copy` or `staged` after `host`, "
                       "found " +
                       describe(token));
          goto next;
        }
      } else {
        errorAtToken("expected a placement (`device`, `host zero_copy`, "
                     "`host staged` or `auto`), found " +
                     describe(token));
        goto next;
      }
      d.range = rangeFrom(dstart);
      schedule->directives.push_back(std::move(d));
    } else if (directive == "overlap") {
      advance();
      Directive d{Directive::Overlap, {}, nullptr, "", 2};
      if (at(TokenKind::Identifier) && token.text == "sample") {
        d.kind = Directive::OverlapSample;
        advance();
      } else if (!at(TokenKind::Identifier) || token.text != "gather") {
        errorAtToken("expected `gather` or `sample` after `overlap`, found " +
                     describe(token));
        goto next;
      } else {
        advance();
      }
      if (at(TokenKind::Identifier) && token.text == "depth") {
        advance();
        if (!at(TokenKind::Integer)) {
          errorAtToken("expected the overlap depth (an integer), found " +
                       describe(token));
          goto next;
        }
        Lexer::integerValue(token.text, d.depth);
        advance();
      }
      d.range = rangeFrom(dstart);
      schedule->directives.push_back(std::move(d));
    } else if (directive == "sort") {
      advance();
      Directive d{Directive::SortIndices, {}, nullptr, "", 2};
      if (!word("gather") || !word("indices"))
        goto next;
      d.range = rangeFrom(dstart);
      schedule->directives.push_back(std::move(d));
    } else {
      errorAtToken("expected a schedule directive (`place`, `overlap "
                   "gather`, `overlap sample`, `sort gather indices`), found " +
                   describe(token));
      advance();
    }
  next:
    synchronize(/*topLevel=*/false);
  }
  if (!expect(TokenKind::RBrace, "to close the schedule"))
    return nullptr;
  schedule->range = rangeFrom(start);
  return schedule;
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

bool Parser::parseDim(DimExpr &dim) {
  SMLoc start = token.loc();
  if (consumeIf(TokenKind::Question)) {
    dim.kind = DimExpr::Dynamic;
  } else if (at(TokenKind::Integer)) {
    dim.kind = DimExpr::Static;
    Lexer::integerValue(token.text, dim.value);
    advance();
  } else if (at(TokenKind::Identifier)) {
    dim.kind = DimExpr::Symbol;
    dim.symbol = token.text.str();
    advance();
    while (consumeIf(TokenKind::Dot)) {
      std::string part;
      SMRange partRange;
      if (!parseIdentifier(part, partRange, "in the dimension"))
        return false;
      dim.symbol += "." + part;
    }
  } else {
    errorAtToken("expected a dimension (an integer, a name, or `?`), "
                 "found " +
                 describe(token));
    return false;
  }
  dim.range = rangeFrom(start);
  return true;
}

TypeExprPtr Parser::parseType() {
  DepthGuard guard(*this);
  if (!guard.ok)
    return nullptr;
  SMLoc start = token.loc();
  auto type = std::make_unique<TypeExpr>();
  if (consumeIf(TokenKind::LBracket)) {
    type->kind = TypeExpr::List;
    type->element = parseType();
    if (!type->element ||
        !expect(TokenKind::RBracket, "to close the list type"))
      return nullptr;
    type->range = rangeFrom(start);
    return type;
  }
  if (!parseIdentifier(type->name, type->range, "of a type"))
    return nullptr;
  if (type->name == "table" && consumeIf(TokenKind::Less)) {
    type->kind = TypeExpr::Table;
    type->element = parseType();
    if (!type->element)
      return nullptr;
    if (type->element->kind != TypeExpr::Tensor) {
      error(type->element->range,
            "a table's row type is a tensor type such as `f32[N, 100]`");
      return nullptr;
    }
    if (!expect(TokenKind::Greater, "to close the table type"))
      return nullptr;
    type->range = rangeFrom(start);
    return type;
  }
  while (consumeIf(TokenKind::Dot)) {
    std::string part;
    SMRange partRange;
    if (!parseIdentifier(part, partRange, "in the type name"))
      return nullptr;
    type->name += "." + part;
  }
  if (at(TokenKind::LBracket) && !token.newlineBefore) {
    advance();
    type->kind = TypeExpr::Tensor;
    if (consumeIf(TokenKind::Star)) {
      type->unranked = true;
    } else {
      while (!at(TokenKind::RBracket)) {
        if (!type->dims.empty() &&
            !expect(TokenKind::Comma, "between dimensions"))
          return nullptr;
        DimExpr dim;
        if (!parseDim(dim))
          return nullptr;
        type->dims.push_back(std::move(dim));
      }
    }
    if (!expect(TokenKind::RBracket, "to close the shape"))
      return nullptr;
  }
  type->range = rangeFrom(start);
  return type;
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

void Parser::parseBlock(std::vector<StmtPtr> &body, StringRef context) {
  DepthGuard guard(*this);
  if (!guard.ok)
    return;
  SMLoc open = token.loc();
  if (!expect(TokenKind::LBrace, context))
    return;
  while (!at(TokenKind::RBrace) && !at(TokenKind::Eof)) {
    if (StmtPtr stmt = parseStatement()) {
      // A statement ends at a newline, a `;` or the block's `}`.
      bool endsInBlock =
          stmt->kind == StmtKind::For || stmt->kind == StmtKind::If;
      if (!endsInBlock && !panicking && !at(TokenKind::RBrace) &&
          !at(TokenKind::Eof) && !at(TokenKind::Semicolon) &&
          !token.newlineBefore)
        errorAtToken("expected the end of the statement, found " +
                     describe(token));
      body.push_back(std::move(stmt));
    }
    synchronize(/*topLevel=*/false);
    if (startsItem() && !at(TokenKind::KwFn))
      break; // a missing `}`: let the item parse at the top level
  }
  if (!at(TokenKind::RBrace)) {
    reporter.error({open, SMLoc::getFromPointer(open.getPointer() + 1)},
                   "this `{` is never closed");
    panicking = true;
    return;
  }
  advance();
}

StmtPtr Parser::parseLet(bool isVar) {
  SMLoc start = token.loc();
  advance(); // let / var
  auto stmt =
      std::make_unique<Stmt>(isVar ? StmtKind::Var : StmtKind::Let, SMRange());
  if (!parseIdentifier(stmt->name, stmt->nameRange,
                       isVar ? "after `var`" : "after `let`"))
    return nullptr;
  if (consumeIf(TokenKind::Colon)) {
    stmt->type = parseType();
    if (!stmt->type)
      return nullptr;
  }
  if (!expect(TokenKind::Assign, "and a value after `" + stmt->name + "`"))
    return nullptr;
  stmt->value = parseExpr();
  if (!stmt->value)
    return nullptr;
  stmt->range = rangeFrom(start);
  return stmt;
}

StmtPtr Parser::parseFor() {
  SMLoc start = token.loc();
  advance(); // for
  auto stmt = std::make_unique<Stmt>(StmtKind::For, SMRange());
  if (!parseIdentifier(stmt->name, stmt->nameRange, "for the loop variable"))
    return nullptr;
  if (!expect(TokenKind::KwIn, "after the loop variable"))
    return nullptr;
  stmt->value = parseExpr();
  if (!stmt->value)
    return nullptr;
  if (at(TokenKind::KwSelect)) {
    SMLoc selectStart = token.loc();
    advance();
    if (!(at(TokenKind::Identifier) && token.text == "hardest")) {
      errorAtToken("expected `hardest` after `select` (the only batch "
                   "selection rule), found " +
                   describe(token));
      return nullptr;
    }
    advance();
    stmt->selectHardest = true;
    if (!expect(TokenKind::LParen, "after `select hardest`") ||
        !parseArgs(stmt->selectArgs, TokenKind::RParen, "of `select hardest`"))
      return nullptr;
    if (!expect(TokenKind::KwBy, "and the loss to rank batches by"))
      return nullptr;
    if (!parseIdentifier(stmt->byName, stmt->byRange, "after `by`"))
      return nullptr;
    stmt->selectRange = rangeFrom(selectStart);
  }
  parseBlock(stmt->body, "to open the loop body");
  stmt->range = rangeFrom(start);
  return stmt;
}

StmtPtr Parser::parseIf() {
  SMLoc start = token.loc();
  advance(); // if
  auto stmt = std::make_unique<Stmt>(StmtKind::If, SMRange());
  stmt->value = parseExpr();
  if (!stmt->value)
    return nullptr;
  parseBlock(stmt->body, "to open the `if` body");
  if (consumeIf(TokenKind::KwElse)) {
    if (at(TokenKind::KwIf)) {
      // An `else if` nests in the tree like a block.
      DepthGuard guard(*this);
      if (!guard.ok)
        return nullptr;
      if (StmtPtr nested = parseIf())
        stmt->elseBody.push_back(std::move(nested));
    } else {
      parseBlock(stmt->elseBody, "to open the `else` body");
    }
  }
  stmt->range = rangeFrom(start);
  return stmt;
}

StmtPtr Parser::parseLog() {
  SMLoc start = token.loc();
  advance(); // log
  auto stmt = std::make_unique<Stmt>(StmtKind::Log, SMRange());
  // `log name: value`, or `log value` (labelled by the value's source text).
  if (at(TokenKind::Identifier)) {
    Lexer saved = lexer;
    Token name = token;
    SMLoc savedEnd = previousEnd;
    advance();
    if (consumeIf(TokenKind::Colon)) {
      stmt->name = name.text.str();
      stmt->nameRange = name.range();
    } else {
      lexer = saved;
      token = name;
      previousEnd = savedEnd;
    }
  }
  stmt->value = parseExpr();
  if (!stmt->value)
    return nullptr;
  stmt->range = rangeFrom(start);
  return stmt;
}

StmtPtr Parser::parseStatement() {
  SMLoc start = token.loc();
  switch (token.kind) {
  case TokenKind::KwLet:
    return parseLet(false);
  case TokenKind::KwVar:
    return parseLet(true);
  case TokenKind::KwFor:
    return parseFor();
  case TokenKind::KwIf:
    return parseIf();
  case TokenKind::KwLog:
    return parseLog();
  case TokenKind::KwReturn: {
    advance();
    auto stmt = std::make_unique<Stmt>(StmtKind::Return, SMRange());
    if (!at(TokenKind::RBrace) && !token.newlineBefore) {
      stmt->value = parseExpr();
      if (!stmt->value)
        return nullptr;
    }
    stmt->range = rangeFrom(start);
    return stmt;
  }
  case TokenKind::Semicolon:
    advance(); // an empty statement
    return nullptr;
  default:
    break;
  }
  ExprPtr expr = parseExpr();
  if (!expr)
    return nullptr;
  if (consumeIf(TokenKind::Assign)) {
    auto stmt = std::make_unique<Stmt>(StmtKind::Assign, SMRange());
    stmt->target = std::move(expr);
    stmt->value = parseExpr();
    if (!stmt->value)
      return nullptr;
    stmt->range = rangeFrom(start);
    return stmt;
  }
  auto stmt = std::make_unique<Stmt>(StmtKind::Expr, SMRange());
  stmt->value = std::move(expr);
  stmt->range = rangeFrom(start);
  return stmt;
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

static int precedence(TokenKind kind) {
  switch (kind) {
  case TokenKind::OrOr:
    return 1;
  case TokenKind::AndAnd:
    return 2;
  case TokenKind::EqEq:
  case TokenKind::NotEq:
    return 3;
  case TokenKind::Less:
  case TokenKind::LessEq:
  case TokenKind::Greater:
  case TokenKind::GreaterEq:
    return 4;
  case TokenKind::Plus:
  case TokenKind::Minus:
    return 5;
  case TokenKind::Star:
  case TokenKind::Slash:
  case TokenKind::Percent:
  case TokenKind::At:
    return 6;
  default:
    return 0;
  }
}

ExprPtr Parser::parseExpr() { return parseRange(); }

ExprPtr Parser::parseRange() {
  SMLoc start = token.loc();
  ExprPtr low = parseBinary(1);
  if (!low || !at(TokenKind::DotDot))
    return low;
  advance();
  ExprPtr high = parseBinary(1);
  if (!high)
    return nullptr;
  auto range = std::make_unique<Expr>(ExprKind::Range, rangeFrom(start));
  range->operands.push_back(std::move(low));
  range->operands.push_back(std::move(high));
  return range;
}

ExprPtr Parser::parseBinary(int minPrecedence) {
  DepthGuard guard(*this);
  if (!guard.ok)
    return nullptr;
  SMLoc start = token.loc();
  ChainGuard chain(*this);
  ExprPtr lhs = parseUnary();
  while (lhs) {
    int prec = precedence(token.kind);
    if (prec == 0 || prec < minPrecedence)
      break;
    if (!chain.link())
      return nullptr;
    TokenKind op = token.kind;
    bool comparison = prec == 3 || prec == 4;
    advance();
    ExprPtr rhs = parseBinary(prec + 1);
    if (!rhs)
      return nullptr;
    auto binary = std::make_unique<Expr>(ExprKind::Binary, rangeFrom(start));
    binary->op = op;
    binary->operands.push_back(std::move(lhs));
    binary->operands.push_back(std::move(rhs));
    lhs = std::move(binary);
    if (comparison && precedence(token.kind) == prec) {
      errorAtToken("comparisons do not chain; write `a < b && b < c`");
      return nullptr;
    }
  }
  return lhs;
}

ExprPtr Parser::parseUnary() {
  SMLoc start = token.loc();
  if (at(TokenKind::Minus) || at(TokenKind::Bang)) {
    DepthGuard guard(*this);
    if (!guard.ok)
      return nullptr;
    TokenKind op = token.kind;
    advance();
    ExprPtr operand = parseUnary();
    if (!operand)
      return nullptr;
    auto unary = std::make_unique<Expr>(ExprKind::Unary, rangeFrom(start));
    unary->op = op;
    unary->operands.push_back(std::move(operand));
    return unary;
  }
  ExprPtr primary = parsePrimary();
  if (!primary)
    return nullptr;
  return parsePostfix(std::move(primary));
}

bool Parser::parseArgs(std::vector<Arg> &args, TokenKind close,
                       StringRef context) {
  bool sawNamed = false;
  while (!at(close)) {
    if (!args.empty() &&
        !expect(TokenKind::Comma, "between arguments " + context.str()))
      return false;
    if (at(close))
      break; // trailing comma
    Arg arg;
    if (at(TokenKind::Identifier)) {
      // `name: value`? Look one token ahead through a copy of the lexer
      // state: the lexer is cheap to copy.
      Lexer saved = lexer;
      Token savedToken = token;
      SMLoc savedEnd = previousEnd;
      advance();
      if (at(TokenKind::Colon)) {
        arg.name = savedToken.text.str();
        arg.nameRange = savedToken.range();
        advance();
      } else {
        lexer = saved;
        token = savedToken;
        previousEnd = savedEnd;
      }
    }
    if (arg.name.empty() && sawNamed) {
      errorAtToken("a positional argument cannot follow named arguments");
      return false;
    }
    sawNamed |= !arg.name.empty();
    arg.value = parseExpr();
    if (!arg.value)
      return false;
    args.push_back(std::move(arg));
  }
  advance(); // the closing token
  return true;
}

ExprPtr Parser::parsePostfix(ExprPtr base) {
  SMLoc start = base->range.Start;
  ChainGuard chain(*this);
  while (true) {
    if ((at(TokenKind::Dot) ||
         ((at(TokenKind::LParen) || at(TokenKind::LBracket)) &&
          !token.newlineBefore)) &&
        !chain.link())
      return nullptr;
    if (at(TokenKind::Dot)) {
      advance();
      auto member = std::make_unique<Expr>(ExprKind::Member, SMRange());
      if (!parseIdentifier(member->text, member->nameRange, "after `.`"))
        return nullptr;
      member->range = rangeFrom(start);
      member->operands.push_back(std::move(base));
      base = std::move(member);
    } else if (at(TokenKind::LParen) && !token.newlineBefore) {
      DepthGuard guard(*this);
      if (!guard.ok)
        return nullptr;
      advance();
      auto call = std::make_unique<Expr>(ExprKind::Call, SMRange());
      if (!parseArgs(call->args, TokenKind::RParen, "of the call"))
        return nullptr;
      call->range = rangeFrom(start);
      call->operands.push_back(std::move(base));
      base = std::move(call);
    } else if (at(TokenKind::LBracket) && !token.newlineBefore) {
      DepthGuard guard(*this);
      if (!guard.ok)
        return nullptr;
      advance();
      auto index = std::make_unique<Expr>(ExprKind::Index, SMRange());
      index->operands.push_back(std::move(base));
      do {
        ExprPtr i = parseExpr();
        if (!i)
          return nullptr;
        index->operands.push_back(std::move(i));
      } while (consumeIf(TokenKind::Comma));
      if (!expect(TokenKind::RBracket, "to close the index"))
        return nullptr;
      index->range = rangeFrom(start);
      base = std::move(index);
    } else {
      return base;
    }
  }
}

ExprPtr Parser::parsePrimary() {
  SMLoc start = token.loc();
  switch (token.kind) {
  case TokenKind::Integer: {
    auto e = std::make_unique<Expr>(ExprKind::Int, token.range());
    Lexer::integerValue(token.text, e->intValue);
    advance();
    return e;
  }
  case TokenKind::Float: {
    auto e = std::make_unique<Expr>(ExprKind::Float, token.range());
    e->floatValue = Lexer::floatValue(token.text);
    advance();
    return e;
  }
  case TokenKind::String: {
    auto e = std::make_unique<Expr>(ExprKind::String, token.range());
    e->text = Lexer::stringValue(token.text);
    advance();
    return e;
  }
  case TokenKind::KwTrue:
  case TokenKind::KwFalse: {
    auto e = std::make_unique<Expr>(ExprKind::Bool, token.range());
    e->boolValue = at(TokenKind::KwTrue);
    advance();
    return e;
  }
  case TokenKind::Identifier: {
    auto e = std::make_unique<Expr>(ExprKind::Name, token.range());
    e->text = token.text.str();
    advance();
    return e;
  }
  case TokenKind::KwLog: {
    // Inside an expression `log` is the natural logarithm; only at the start
    // of a statement is it the `log` statement.
    auto e = std::make_unique<Expr>(ExprKind::Name, token.range());
    e->text = "log";
    advance();
    return e;
  }
  case TokenKind::KwSelf: {
    auto e = std::make_unique<Expr>(ExprKind::Self, token.range());
    advance();
    return e;
  }
  case TokenKind::LParen: {
    DepthGuard guard(*this);
    if (!guard.ok)
      return nullptr;
    advance();
    ExprPtr inner = parseExpr();
    if (!inner || !expect(TokenKind::RParen, "to close the parenthesis"))
      return nullptr;
    inner->range = rangeFrom(start);
    return inner;
  }
  case TokenKind::LBracket: {
    DepthGuard guard(*this);
    if (!guard.ok)
      return nullptr;
    advance();
    auto list = std::make_unique<Expr>(ExprKind::List, SMRange());
    while (!at(TokenKind::RBracket)) {
      if (!list->operands.empty() &&
          !expect(TokenKind::Comma, "between list elements"))
        return nullptr;
      if (at(TokenKind::RBracket))
        break;
      ExprPtr element = parseExpr();
      if (!element)
        return nullptr;
      list->operands.push_back(std::move(element));
    }
    advance();
    list->range = rangeFrom(start);
    return list;
  }
  default:
    errorAtToken("expected an expression, found " + describe(token));
    return nullptr;
  }
}

} // namespace

std::unique_ptr<Module> parseModule(unsigned bufferId, Reporter &reporter) {
  const llvm::MemoryBuffer *buffer =
      reporter.getSourceMgr().getMemoryBuffer(bufferId);
  Parser parser(buffer->getBuffer(), reporter);
  auto module = parser.parseModule();
  module->filename = buffer->getBufferIdentifier().str();
  return module;
}

} // namespace sluice::lang
