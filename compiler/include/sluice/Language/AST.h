//===- AST.h - Sluice language syntax tree ----------------------*- C++ -*-===//
//
// The parser's output. Every node keeps the exact source range it came from
// (diagnostics underline it, MLIRGen locates ops at it). Nodes are small
// tagged structs rather than a class hierarchy: the language has few node
// kinds, and sema and MLIRGen switch over them exhaustively.
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_LANGUAGE_AST_H
#define SLUICE_LANGUAGE_AST_H

#include "sluice/Language/Lexer.h"

#include "llvm/Support/SMLoc.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace sluice::lang {

struct Expr;
struct Stmt;
struct TypeExpr;
struct ModelDecl;
struct OptimizerDecl;
struct FnDecl;
struct Module;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using TypeExprPtr = std::unique_ptr<TypeExpr>;

/// A dimension as written in a type: `128`, `?`, `N`, or `G.features.cols`.
struct DimExpr {
  enum Kind { Static, Dynamic, Symbol } kind = Dynamic;
  int64_t value = 0;
  std::string symbol; // the dotted path, e.g. "G.features.cols"
  llvm::SMRange range;
};

/// A type as written: `f32`, `f32[B, 128]`, `f32[*]`, `[int]`,
/// `table<f32[N, 100]>`, `Blocks`, `nn.Linear`.
struct TypeExpr {
  enum Kind { Named, Tensor, List, Table } kind = Named;
  std::string name;      // Named: the (dotted) name; Tensor/Table: element type
  bool unranked = false; // `f32[*]`
  std::vector<DimExpr> dims;
  TypeExprPtr element; // List: the element type; Table: the row tensor type
  llvm::SMRange range;
};

enum class ExprKind {
  Int,
  Float,
  String,
  Bool,
  Name,
  Self,
  Member,
  Call,
  Index,
  Unary,
  Binary,
  List,
  Range,
};

/// One argument of a call, optionally named (`shuffle: true`).
struct Arg {
  std::string name;
  llvm::SMRange nameRange;
  ExprPtr value;
};

struct Expr {
  ExprKind kind;
  llvm::SMRange range;
  TokenKind op = TokenKind::Eof; // Unary, Binary
  int64_t intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string text;        // Name: identifier; Member: field; String: value
  llvm::SMRange nameRange; // Member: the field's range
  // Member: [base]; Index: [base, index...]; Unary: [x]; Binary: [lhs, rhs];
  // List: elements; Range: [low, high]; Call: [callee].
  std::vector<ExprPtr> operands;
  std::vector<Arg> args; // Call

  Expr(ExprKind kind, llvm::SMRange range) : kind(kind), range(range) {}
};

enum class StmtKind { Let, Var, Assign, Expr, Return, For, If, Log };

struct Stmt {
  StmtKind kind;
  llvm::SMRange range;
  std::string name; // Let/Var: the variable; For: the loop variable;
                    // Log: the label (may be empty)
  llvm::SMRange nameRange;
  TypeExprPtr type; // Let/Var: the optional annotation
  ExprPtr value;    // Let/Var/Assign: the value; Expr; Return
                    // (may be null); For: the iterable; If: the
                    // condition; Log: the value
  ExprPtr target;   // Assign: the left-hand side
  std::vector<StmtPtr> body, elseBody;
  // For ... select hardest(args) by name.
  bool selectHardest = false;
  std::vector<Arg> selectArgs;
  llvm::SMRange selectRange;
  std::string byName;
  llvm::SMRange byRange;

  Stmt(StmtKind kind, llvm::SMRange range) : kind(kind), range(range) {}
};

/// `name: type = default` (program parameters, function parameters, model
/// and optimizer constructor parameters).
struct ParamDecl {
  std::string name;
  llvm::SMRange nameRange, range;
  TypeExprPtr type;     // null for `self` and untyped optimizer arguments
  ExprPtr defaultValue; // may be null
};

struct FnDecl {
  std::string name;
  llvm::SMRange nameRange, range;
  bool hasSelf = false;
  bool bodyHasSyntaxErrors = false; // sema then skips checks of its shape
  std::vector<ParamDecl> params;    // without `self`
  TypeExprPtr result;               // null: no value
  std::vector<StmtPtr> body;
  const ModelDecl *owner = nullptr;
  const Module *module = nullptr;
};

/// A model member: `l1 = nn.SageConv(...)` (a sub-model or a constant) or
/// `weight: f32[out, in] = uniform(-b, b)` (a trainable parameter).
struct MemberDecl {
  std::string name;
  llvm::SMRange nameRange, range;
  TypeExprPtr type; // set for trainable parameters
  ExprPtr init;
};

struct ModelDecl {
  std::string name;
  llvm::SMRange nameRange, range;
  std::vector<ParamDecl> ctorParams;
  std::vector<MemberDecl> members;
  std::vector<std::unique_ptr<FnDecl>> methods;
  const Module *module = nullptr;
  const FnDecl *method(llvm::StringRef name) const {
    for (const auto &fn : methods)
      if (fn->name == name)
        return fn.get();
    return nullptr;
  }
};

/// `optimizer Adam(lr: f32 = 0.001, ...) { state m = 0.0  fn update(w, g, t)
/// {...} }`: an update rule applied to every trainable parameter.
struct OptimizerDecl {
  std::string name;
  llvm::SMRange nameRange, range;
  std::vector<ParamDecl> ctorParams;
  std::vector<MemberDecl> states;
  std::unique_ptr<FnDecl> update;
  const Module *module = nullptr;
};

struct Directive {
  // Overlap: the next batch's gather; OverlapSample: its sample.
  enum Kind { Place, Overlap, OverlapSample, SortIndices } kind;
  llvm::SMRange range;
  ExprPtr target;        // Place: the table
  std::string placement; // Place: device | host_zero_copy | host_staged | auto
  int64_t depth = 2;     // Overlap, OverlapSample
};

struct PipelineDecl {
  std::string name;
  llvm::SMRange nameRange, range;
  std::vector<StmtPtr> body;
};

struct ScheduleDecl {
  std::string name;
  llvm::SMRange nameRange, range;
  std::vector<Directive> directives;
};

struct UseDecl {
  std::string path; // "nn" or "a.b"
  llvm::SMRange range;
  const Module *module = nullptr; // resolved by the loader
};

/// One `.sl` file.
struct Module {
  std::string name; // "" for the main program, else the `use` path
  std::string filename;
  std::vector<UseDecl> uses;
  std::vector<ParamDecl> params;
  std::vector<StmtPtr> globals; // top-level `let`s, in order
  std::vector<std::unique_ptr<FnDecl>> functions;
  std::vector<std::unique_ptr<ModelDecl>> models;
  std::vector<std::unique_ptr<OptimizerDecl>> optimizers;
  std::vector<std::unique_ptr<PipelineDecl>> pipelines;
  std::vector<std::unique_ptr<ScheduleDecl>> schedules;
};

/// Prints the tree (`sluice emit --stage=ast`), one node per line with its
/// line:column.
void dumpModule(const Module &module, const llvm::SourceMgr &sourceMgr,
                llvm::raw_ostream &os);

} // namespace sluice::lang

#endif // SLUICE_LANGUAGE_AST_H
