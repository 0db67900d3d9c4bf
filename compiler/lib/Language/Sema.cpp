//===- Sema.cpp - Sluice semantic analysis --------------------------------===//
//
// One walk over the program. Errors never cascade: an expression that failed
// has the Error type, and every check accepts Error silently.
//
//===----------------------------------------------------------------------===//

#include "sluice/Language/Sema.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <set>

using namespace llvm;

namespace sluice::lang {
namespace {

struct Symbol {
  Type type;
  SMRange decl;
  std::string what; // "parameter", "global", "variable", ... for messages
  bool isMutable = false;
  std::optional<Dim> dim; // an int whose value is a (symbolic) dimension
};
using Scope = std::map<std::string, Symbol>;

/// A checked signature: parameter types in terms of the callee's symbols.
struct Signature {
  std::vector<const ParamDecl *> params;
  std::vector<Type> paramTypes;
  Type result = Type::voidType();
  std::set<std::string> generics; // dimension names bound by the call
};

const char *const kBuiltins[] = {
    "load_graph",
    "load_dataset",
    "batches",
    "sample",
    "gather",
    "relu",
    "gelu",
    "tanh",
    "sigmoid",
    "exp",
    "log",
    "sqrt",
    "abs",
    "softmax",
    "log_softmax",
    "sum",
    "mean",
    "transpose",
    "concat",
    "reshape",
    "argmax",
    "take_along",
    "aggregate_mean",
    "dst",
    "zeros",
    "ones",
    "uniform",
    "normal",
    "zeros_like",
    "ones_like",
    "f32",
    "f64",
    "int",
    "i32",
    "pow",
    "len",
    "min",
    "max",
    "merge_layers",
    "self_consistency",
    "conditional_nll",
};

bool isBuiltin(StringRef name) { return llvm::is_contained(kBuiltins, name); }

std::optional<std::string> pathOf(const Expr &e) {
  if (e.kind == ExprKind::Name)
    return e.text;
  if (e.kind == ExprKind::Member)
    if (auto base = pathOf(*e.operands[0]))
      return *base + "." + e.text;
  return std::nullopt;
}

bool isLiteralNumber(const Expr &e) {
  if (e.kind == ExprKind::Int || e.kind == ExprKind::Float)
    return true;
  return e.kind == ExprKind::Unary && e.op == TokenKind::Minus &&
         isLiteralNumber(*e.operands[0]);
}

bool isIntLiteral(const Expr &e) {
  if (e.kind == ExprKind::Int)
    return true;
  return e.kind == ExprKind::Unary && e.op == TokenKind::Minus &&
         isIntLiteral(*e.operands[0]);
}

/// The value of an integer literal (with its minus signs).
int64_t intLiteralValue(const Expr &e) {
  if (e.kind == ExprKind::Int)
    return e.intValue;
  int64_t inner = intLiteralValue(*e.operands[0]);
  return inner == INT64_MIN ? inner : -inner;
}

class Sema {
public:
  Sema(Program &program, Reporter &r) : program(program), r(r) {}
  void run();

private:
  // Scopes and names.
  Symbol *lookup(StringRef name);
  std::vector<std::string> visibleNames();
  void declare(Scope &scope, const std::string &name, Symbol symbol,
               SMRange range);
  Scope &moduleScope(const Module *m) { return moduleScopes[m]; }

  // Types.
  Type resolveType(const TypeExpr &t, std::set<std::string> *generics);
  bool resolveDim(const DimExpr &d, Dim &out, std::set<std::string> *generics);
  bool unifyDim(const Dim &expected, const Dim &actual,
                const std::set<std::string> *generics, DimMap *bound);
  bool assignable(const Type &expected, const Type &actual, const Expr *value,
                  const std::set<std::string> *generics = nullptr,
                  DimMap *bound = nullptr);
  Type memberType(const Type &base, const std::optional<std::string> &path,
                  const Expr &member, std::optional<Dim> &dim);

  // Declarations.
  void collect(const Module &m);
  const Signature &signature(const FnDecl &fn);
  const Signature &ctorSignature(const std::vector<ParamDecl> &params,
                                 const void *key, const Module *m,
                                 const ModelDecl *model);
  void checkModel(const ModelDecl &model);
  void checkOptimizer(const OptimizerDecl &opt);
  void checkFnBody(const FnDecl &fn);
  void checkParam(const ParamDecl &p);
  void checkSchedule(const ScheduleDecl &s, const Module &m);

  // Statements and expressions.
  void checkBlock(const std::vector<StmtPtr> &body, bool newScope = true);
  void checkStmt(const Stmt &s, bool last);
  Type check(const Expr &e, const Type *expected = nullptr);
  Type checkUncached(const Expr &e, const Type *expected);
  Type checkBinary(const Expr &e);
  Type checkIndex(const Expr &e);
  Type checkCall(const Expr &e, const Type *expected);
  Type checkBuiltin(const std::string &name, const Expr &call,
                    const Type *expected);
  bool bindArgs(const Expr &call, const std::string &callee,
                const std::vector<const ParamDecl *> &params,
                std::vector<const Expr *> &bound, size_t skip = 0,
                SMRange declRange = {});
  Type callSignature(const Expr &call, const std::string &callee,
                     const Signature &sig, DimMap bindings, size_t skip,
                     SMRange declRange);
  Dim dimOf(const Expr &e);
  void shapeMismatch(const Expr &at, const std::string &what, const Expr &a,
                     const Type &ta, const Expr &b, const Type &tb);
  bool broadcast(const Type &a, const Type &b, std::vector<Dim> &out);

  Program &program;
  Reporter &r;
  std::map<const Module *, Scope> moduleScopes;
  std::vector<Scope> locals;
  const Module *currentModule = nullptr;
  const ModelDecl *currentModel = nullptr;
  const FnDecl *currentFn = nullptr;
  bool inPipeline = false;
  unsigned blockDepth = 0; // 1: a function body's own statements
  std::map<const void *, Signature> signatures;
  std::map<const ModelDecl *, std::map<std::string, Type>> memberTypes;
  std::map<const ModelDecl *, int> modelState; // 1: checking, 2: checked
  std::map<const Expr *, Dim> dims;
  // Calls between functions, to reject recursion (calls are inlined).
  std::map<const FnDecl *, std::vector<std::pair<const FnDecl *, SMRange>>>
      callEdges;
  std::vector<const ModelDecl *> memberStack; // models whose members are
                                              // being checked
  void checkRecursion();
};

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

Symbol *Sema::lookup(StringRef name) {
  for (auto it = locals.rbegin(); it != locals.rend(); ++it) {
    auto found = it->find(name.str());
    if (found != it->end())
      return &found->second;
  }
  Scope &global = moduleScope(currentModule);
  auto found = global.find(name.str());
  if (found != global.end())
    return &found->second;
  return nullptr;
}

std::vector<std::string> Sema::visibleNames() {
  std::vector<std::string> names(std::begin(kBuiltins), std::end(kBuiltins));
  for (const Scope &scope : locals)
    for (const auto &entry : scope)
      names.push_back(entry.first);
  for (const auto &entry : moduleScope(currentModule))
    names.push_back(entry.first);
  return names;
}

void Sema::declare(Scope &scope, const std::string &name, Symbol symbol,
                   SMRange range) {
  auto [it, inserted] = scope.emplace(name, symbol);
  if (!inserted) {
    auto diag = r.error(range, "`" + name + "` is already defined");
    diag.attachNote(r.rangeLoc(it->second.decl)) << "the first definition";
    return;
  }
  it->second.decl = range;
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

bool Sema::resolveDim(const DimExpr &d, Dim &out,
                      std::set<std::string> *generics) {
  switch (d.kind) {
  case DimExpr::Static:
    out = Dim::of(d.value);
    return true;
  case DimExpr::Dynamic:
    out = Dim::dynamic();
    return true;
  case DimExpr::Symbol:
    break;
  }
  StringRef root = StringRef(d.symbol).split('.').first;
  Symbol *symbol = lookup(root);
  if (!symbol) {
    if (generics && root == d.symbol) {
      generics->insert(d.symbol);
      out = Dim::named(d.symbol);
      return true;
    }
    auto diag = r.error(d.range, "unknown dimension `" + d.symbol + "`");
    r.suggest(diag, d.range, root, visibleNames());
    return false;
  }
  if (symbol->isMutable) {
    r.error(d.range, "dimension `" + d.symbol +
                         "` is a `var`; a size cannot "
                         "change, so name a `let` or a parameter");
    return false;
  }
  if (root == d.symbol) {
    if (!symbol->type.isInt() && !symbol->type.isError()) {
      r.error(d.range, "dimension `" + d.symbol +
                           "` must be an int, but it "
                           "is " +
                           symbol->type.str());
      return false;
    }
    out = symbol->dim ? *symbol->dim : Dim::named(d.symbol);
    return true;
  }
  // A path such as `G.features.cols`: walk the member types.
  Type type = symbol->type;
  std::string path = root.str();
  StringRef rest = StringRef(d.symbol).split('.').second;
  std::optional<Dim> dim;
  while (!rest.empty() && !type.isError()) {
    auto [field, tail] = rest.split('.');
    Expr member(ExprKind::Member, d.range);
    member.text = field.str();
    member.nameRange = d.range;
    type = memberType(type, path, member, dim);
    path += "." + field.str();
    rest = tail;
  }
  if (type.isError())
    return false;
  if (!type.isInt()) {
    r.error(d.range, "dimension `" + d.symbol +
                         "` must be an int, but it "
                         "is " +
                         type.str());
    return false;
  }
  out = dim ? *dim : Dim::named(d.symbol);
  return true;
}

Type Sema::resolveType(const TypeExpr &t, std::set<std::string> *generics) {
  auto scalarOf = [](StringRef name) -> std::optional<Scalar> {
    if (name == "bool")
      return Scalar::Bool;
    if (name == "int")
      return Scalar::Int;
    if (name == "i32")
      return Scalar::I32;
    if (name == "f32")
      return Scalar::F32;
    if (name == "f64")
      return Scalar::F64;
    return std::nullopt;
  };
  static const std::vector<std::string> typeNames = {
      "bool", "int",   "i32",     "f32",    "f64",   "str",
      "path", "Graph", "Dataset", "Blocks", "Block", "Cache"};
  switch (t.kind) {
  case TypeExpr::List: {
    Type element = resolveType(*t.element, generics);
    if (element.isError())
      return element;
    if (element.kind != Type::Scalar || element.scalar == Scalar::Bool) {
      r.error(t.range,
              "lists hold numbers (`[int]`, `[f32]`), not " + element.str());
      return Type::error();
    }
    Type list = Type::of(Type::List);
    list.scalar = element.scalar;
    return list;
  }
  case TypeExpr::Table: {
    Type row = resolveType(*t.element, generics);
    if (row.isError())
      return row;
    if (row.unranked || row.dims.size() != 2) {
      r.error(t.element->range, "a table is two-dimensional (rows, columns), "
                                "as in `table<f32[N, 100]>`");
      return Type::error();
    }
    row.kind = Type::Table;
    return row;
  }
  case TypeExpr::Tensor: {
    auto scalar = scalarOf(t.name);
    if (!scalar) {
      r.error(t.range, "`" + t.name +
                           "` is not an element type; expected "
                           "bool, int, i32, f32 or f64");
      return Type::error();
    }
    Type tensor = Type::tensor(*scalar, {});
    tensor.unranked = t.unranked;
    for (const DimExpr &d : t.dims) {
      Dim dim;
      if (!resolveDim(d, dim, generics))
        return Type::error();
      tensor.dims.push_back(dim);
    }
    return tensor;
  }
  case TypeExpr::Named:
    break;
  }
  if (auto scalar = scalarOf(t.name))
    return Type::scalarOf(*scalar);
  if (t.name == "str")
    return Type::of(Type::Str);
  if (t.name == "path")
    return Type::of(Type::Path);
  if (t.name == "Graph")
    return Type::of(Type::Graph);
  if (t.name == "Dataset")
    return Type::of(Type::Dataset);
  if (t.name == "Blocks")
    return Type::of(Type::Blocks);
  if (t.name == "Block")
    return Type::of(Type::Block);
  if (t.name == "Cache")
    return Type::of(Type::Cache);
  // A model type, possibly qualified (`nn.Linear`).
  auto [first, rest] = StringRef(t.name).split('.');
  Symbol *symbol = lookup(first);
  Type type = symbol ? symbol->type : Type::error();
  if (symbol && !rest.empty() && type.kind == Type::ModuleNs) {
    auto &scope = moduleScope(type.module);
    auto it = scope.find(rest.str());
    type = it == scope.end() ? Type::error() : it->second.type;
  }
  if (type.kind == Type::ModelCtor) {
    // An instance of unknown construction: its sizes are known at run time.
    Type model = Type::of(Type::Model);
    model.model = type.model;
    auto bindings = std::make_shared<DimMap>();
    for (const ParamDecl &p : type.model->ctorParams)
      (*bindings)[p.name] = Dim::dynamic();
    model.bindings = bindings;
    return model;
  }
  auto diag = r.error(t.range, "unknown type `" + t.name + "`");
  std::vector<std::string> candidates = typeNames;
  for (const auto &entry : moduleScope(currentModule))
    if (entry.second.type.kind == Type::ModelCtor)
      candidates.push_back(entry.first);
  r.suggest(diag, t.range, t.name, candidates);
  return Type::error();
}

bool Sema::unifyDim(const Dim &expected, const Dim &actual,
                    const std::set<std::string> *generics, DimMap *bound) {
  if (expected.kind == Dim::Symbol && generics &&
      generics->count(expected.symbol) && bound) {
    auto it = bound->find(expected.symbol);
    if (it == bound->end()) {
      (*bound)[expected.symbol] = actual;
      return true;
    }
    return unifyDim(it->second, actual, nullptr, nullptr);
  }
  if (expected.kind == Dim::Dynamic || actual.kind == Dim::Dynamic)
    return true;
  return expected == actual;
}

bool Sema::assignable(const Type &expected, const Type &actual,
                      const Expr *value, const std::set<std::string> *generics,
                      DimMap *bound) {
  if (expected.isError() || actual.isError())
    return true;
  // Integer literals given to an i32 must fit it: otherwise the value (and,
  // for a list, the type) would silently change.
  if (value && expected.scalar == Scalar::I32 &&
      (expected.kind == Type::Scalar || expected.kind == Type::Tensor ||
       expected.kind == Type::List)) {
    std::vector<const Expr *> literals;
    if (value->kind == ExprKind::List)
      for (const ExprPtr &item : value->operands)
        literals.push_back(item.get());
    else
      literals.push_back(value);
    bool fits = true;
    for (const Expr *literal : literals) {
      if (!isIntLiteral(*literal))
        continue;
      int64_t v = intLiteralValue(*literal);
      if (v < INT32_MIN || v > INT32_MAX) {
        r.error(literal->range, "integer literal " + std::to_string(v) +
                                    " does not fit in i32 (from -2147483648 "
                                    "to 2147483647)");
        fits = false;
      }
    }
    if (!fits)
      return true; // reported
  }
  if (expected.kind == Type::Path && actual.kind == Type::Str)
    return true; // a string literal names a path
  // A list literal is a vector: `let v: f32[3] = [1.0, 2.0, 0.5]`.
  if (expected.kind == Type::Tensor && actual.kind == Type::List && value &&
      value->kind == ExprKind::List && !expected.unranked &&
      expected.dims.size() == 1) {
    bool elementOk = llvm::all_of(value->operands, [&](const ExprPtr &item) {
      auto it = program.types.find(item.get());
      return isLiteralNumber(*item) || it == program.types.end() ||
             it->second.isError() ||
             (it->second.kind == Type::Scalar &&
              it->second.scalar == expected.scalar);
    });
    const Dim &d = expected.dims[0];
    return elementOk && (d.kind != Dim::Static ||
                         d.value == int64_t(value->operands.size()));
  }
  if (expected.kind != actual.kind)
    return false;
  switch (expected.kind) {
  case Type::Scalar:
    if (expected.scalar == actual.scalar)
      return true;
    // A number literal takes the type it is used at.
    if (value && expected.scalar == Scalar::I32 && isIntLiteral(*value))
      return true;
    return value && isFloat(expected.scalar) && isLiteralNumber(*value) &&
           (actual.scalar == Scalar::Int || isFloat(actual.scalar));
  case Type::List:
    // A list literal of number literals adapts; non-literal elements keep
    // their type.
    return expected.scalar == actual.scalar ||
           (isFloat(expected.scalar) && actual.scalar == Scalar::Int && value &&
            value->kind == ExprKind::List &&
            llvm::all_of(value->operands, [](const ExprPtr &item) {
              return isLiteralNumber(*item);
            }));
  case Type::Tensor:
  case Type::Table: {
    if (expected.scalar != actual.scalar)
      return false;
    if (expected.unranked || actual.unranked)
      return true;
    if (expected.dims.size() != actual.dims.size())
      return false;
    for (size_t i = 0; i < expected.dims.size(); ++i)
      if (!unifyDim(expected.dims[i], actual.dims[i], generics, bound))
        return false;
    return true;
  }
  case Type::Model:
    return expected.model == actual.model;
  case Type::Optimizer:
    return expected.optimizer == actual.optimizer;
  default:
    return true;
  }
}

Type Sema::memberType(const Type &base, const std::optional<std::string> &path,
                      const Expr &member, std::optional<Dim> &dim) {
  const std::string &name = member.text;
  auto sym = [&](const std::string &field) {
    return path ? Dim::named(*path + "." + field) : Dim::dynamic();
  };
  auto intMember = [&](Dim d) {
    dim = d;
    return Type::scalarOf(Scalar::Int);
  };
  auto unknown = [&](const std::vector<std::string> &names) {
    auto diag =
        r.error(member.nameRange, base.str() + " has no member `" + name +
                                      "`; it has " + llvm::join(names, ", "));
    r.suggest(diag, member.nameRange, name, names);
    return Type::error();
  };
  switch (base.kind) {
  case Type::Error:
    return base;
  case Type::Graph:
  case Type::Dataset: {
    bool graph = base.kind == Type::Graph;
    std::string count = graph ? "num_nodes" : "num_samples";
    if (name == "features") {
      Type table =
          Type::tensor(Scalar::F32, {sym(count), sym("features.cols")});
      table.kind = Type::Table;
      return table;
    }
    if (name == "labels")
      return Type::tensor(Scalar::Int, {sym(count)});
    if (name == "train" || name == "valid" || name == "test")
      return Type::tensor(Scalar::Int, {Dim::dynamic()});
    if (name == count || name == "num_classes" ||
        (graph && name == "num_edges"))
      return intMember(sym(name));
    if (graph)
      return unknown({"features", "labels", "train", "valid", "test",
                      "num_nodes", "num_edges", "num_classes"});
    return unknown({"features", "labels", "train", "valid", "test",
                    "num_samples", "num_classes"});
  }
  case Type::Table:
    if (name == "rows")
      return intMember(base.dims[0]);
    if (name == "cols")
      return intMember(base.dims[1]);
    return unknown({"rows", "cols"});
  case Type::Tensor:
    if (name == "bytes")
      return intMember(Dim::dynamic());
    return unknown({"bytes"});
  case Type::Cache:
    if (name == "bytes")
      return intMember(Dim::dynamic());
    if (name == "restored")
      return Type::tensor(Scalar::F32, {Dim::dynamic(), Dim::of(2),
                                        Dim::dynamic(), Dim::dynamic()});
    return unknown({"bytes", "restored"});
  case Type::Blocks:
    if (name == "inputs" || name == "seeds")
      return Type::tensor(Scalar::Int, {Dim::dynamic()});
    if (name == "num_layers")
      return intMember(Dim::dynamic());
    if (name == "layer") {
      Type t = Type::of(Type::Builtin);
      t.builtin = "Blocks.layer";
      return t;
    }
    return unknown({"inputs", "seeds", "num_layers", "layer"});
  case Type::Block:
    if (name == "num_src" || name == "num_dst")
      return intMember(Dim::dynamic());
    return unknown({"num_src", "num_dst"});
  case Type::Optimizer:
    if (name == "step") {
      Type t = Type::of(Type::Builtin);
      t.builtin = "Optimizer.step";
      t.optimizer = base.optimizer;
      return t;
    }
    return unknown({"step"});
  case Type::ModuleNs: {
    auto &scope = moduleScope(base.module);
    auto it = scope.find(name);
    if (it == scope.end()) {
      std::vector<std::string> names;
      for (auto &entry : scope)
        names.push_back(entry.first);
      auto diag = r.error(member.nameRange, "module `" + base.module->name +
                                                "` has no `" + name + "`");
      r.suggest(diag, member.nameRange, name, names);
      return Type::error();
    }
    dim = it->second.dim;
    return it->second.type;
  }
  case Type::Model: {
    const ModelDecl *model = base.model;
    checkModel(*model);
    if (const FnDecl *method = model->method(name)) {
      Type t = Type::of(Type::Function);
      t.fn = method;
      t.model = model;
      t.bindings = base.bindings;
      return t;
    }
    auto &members = memberTypes[model];
    auto it = members.find(name);
    if (it == members.end()) {
      std::vector<std::string> names;
      for (const MemberDecl &m : model->members)
        names.push_back(m.name);
      for (const auto &fn : model->methods)
        names.push_back(fn->name);
      auto diag =
          r.error(member.nameRange,
                  "model `" + model->name + "` has no member `" + name + "`");
      r.suggest(diag, member.nameRange, name, names);
      return Type::error();
    }
    return base.bindings ? substitute(it->second, *base.bindings) : it->second;
  }
  default:
    r.error(member.nameRange,
            base.str() + " has no members (looking for `" + name + "`)");
    return Type::error();
  }
}

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

void Sema::collect(const Module &m) {
  Scope &scope = moduleScope(&m);
  for (const UseDecl &use : m.uses) {
    std::string name = StringRef(use.path).rsplit('.').second.empty()
                           ? use.path
                           : StringRef(use.path).rsplit('.').second.str();
    // A module that could not be loaded was reported; its name still
    // resolves (to an error) so its uses are not reported again.
    Type ns = use.module ? Type::of(Type::ModuleNs) : Type::error();
    ns.module = use.module;
    declare(scope, name, {ns, use.range, "module"}, use.range);
  }
  for (const auto &fn : m.functions) {
    if (isBuiltin(fn->name)) {
      r.error(fn->nameRange, "`" + fn->name +
                                 "` is a builtin function and "
                                 "cannot be redefined");
      continue;
    }
    Type t = Type::of(Type::Function);
    t.fn = fn.get();
    declare(scope, fn->name, {t, fn->nameRange, "function"}, fn->nameRange);
  }
  for (const auto &model : m.models) {
    Type t = Type::of(Type::ModelCtor);
    t.model = model.get();
    declare(scope, model->name, {t, model->nameRange, "model"},
            model->nameRange);
  }
  for (const auto &opt : m.optimizers) {
    Type t = Type::of(Type::OptimizerCtor);
    t.optimizer = opt.get();
    declare(scope, opt->name, {t, opt->nameRange, "optimizer"}, opt->nameRange);
  }
  for (const auto &pipeline : m.pipelines)
    declare(scope, pipeline->name,
            {Type::of(Type::Pipeline), pipeline->nameRange, "pipeline"},
            pipeline->nameRange);
}

void Sema::checkParam(const ParamDecl &p) {
  Type type = resolveType(*p.type, nullptr);
  if (currentModule != &program.main())
    r.error(p.range, "`param` declares a flag of the program; only the main "
                     "program has them (pass the value to the module's "
                     "functions instead)");
  if (p.name == "help")
    r.error(p.nameRange, "a parameter cannot be named `help`: every program's "
                         "--help prints its flags, so --help could never set "
                         "it");
  bool allowed = type.isError() ||
                 (type.kind == Type::Scalar && type.scalar != Scalar::I32) ||
                 type.kind == Type::Str || type.kind == Type::Path ||
                 (type.kind == Type::List &&
                  (type.scalar == Scalar::Int || type.scalar == Scalar::F32));
  if (!allowed) {
    r.error(p.type->range, "a program parameter is a bool, int, f32, f64, "
                           "str, path, [int] or [f32], not " +
                               type.str());
    type = Type::error();
  }
  if (p.defaultValue) {
    const Expr &d = *p.defaultValue;
    bool constant = isLiteralNumber(d) || d.kind == ExprKind::String ||
                    d.kind == ExprKind::Bool ||
                    (d.kind == ExprKind::List &&
                     llvm::all_of(d.operands, [](const ExprPtr &e) {
                       return isLiteralNumber(*e);
                     }));
    if (!constant) {
      r.error(d.range, "the default of parameter `" + p.name +
                           "` must be a constant (a number, string, bool or "
                           "list of numbers)");
    } else {
      Type actual = check(d, &type);
      if (!assignable(type, actual, &d))
        r.error(d.range, "the default of parameter `" + p.name + "` is " +
                             actual.str() + ", but the parameter is " +
                             type.str());
    }
  }
  Symbol symbol{type, p.nameRange, "parameter"};
  if (type.isInt())
    symbol.dim = Dim::named(p.name);
  declare(moduleScope(currentModule), p.name, symbol, p.nameRange);
}

const Signature &Sema::ctorSignature(const std::vector<ParamDecl> &params,
                                     const void *key, const Module *m,
                                     const ModelDecl *model) {
  auto it = signatures.find(key);
  if (it != signatures.end())
    return it->second;
  Signature &sig = signatures[key];
  const Module *savedModule = currentModule;
  currentModule = m;
  locals.emplace_back();
  for (const ParamDecl &p : params) {
    sig.params.push_back(&p);
    Type t = p.type ? resolveType(*p.type, &sig.generics) : Type::error();
    sig.paramTypes.push_back(t);
    Symbol symbol{t, p.nameRange, "parameter"};
    if (t.isInt())
      symbol.dim = Dim::named(p.name);
    declare(locals.back(), p.name, symbol, p.nameRange);
    if (p.defaultValue) {
      // Defaults are constants: they are evaluated where the model or
      // optimizer is made.
      const Expr &dv = *p.defaultValue;
      bool constant = isLiteralNumber(dv) || dv.kind == ExprKind::String ||
                      dv.kind == ExprKind::Bool;
      if (!constant) {
        r.error(dv.range, "the default of parameter `" + p.name +
                              "` must be a constant (a number, string or "
                              "bool)");
      } else {
        Type d = check(dv, &t);
        if (!assignable(t, d, &dv))
          r.error(dv.range, "the default of `" + p.name + "` is " + d.str() +
                                ", but the parameter is " + t.str());
      }
    }
  }
  locals.pop_back();
  currentModule = savedModule;
  (void)model;
  return sig;
}

const Signature &Sema::signature(const FnDecl &fn) {
  auto it = signatures.find(&fn);
  if (it != signatures.end())
    return it->second;
  // A method's signature may name the model's constructor parameters.
  const Module *savedModule = currentModule;
  currentModule = fn.module;
  bool pushed = false;
  if (fn.owner) {
    const Signature &ctor =
        ctorSignature(fn.owner->ctorParams, fn.owner, fn.module, fn.owner);
    locals.emplace_back();
    pushed = true;
    for (size_t i = 0; i < ctor.params.size(); ++i) {
      Symbol symbol{ctor.paramTypes[i], ctor.params[i]->nameRange,
                    "constructor parameter"};
      if (ctor.paramTypes[i].isInt())
        symbol.dim = Dim::named(ctor.params[i]->name);
      locals.back()[ctor.params[i]->name] = symbol;
    }
  }
  Signature sig;
  locals.emplace_back();
  for (const ParamDecl &p : fn.params) {
    sig.params.push_back(&p);
    Type t = resolveType(*p.type, &sig.generics);
    sig.paramTypes.push_back(t);
    Symbol symbol{t, p.nameRange, "parameter"};
    if (t.isInt())
      symbol.dim = Dim::named(p.name);
    declare(locals.back(), p.name, symbol, p.nameRange);
    if (const Expr *d = p.defaultValue.get()) {
      // Defaults are constants: they are evaluated where the call is.
      bool constant = isLiteralNumber(*d) || d->kind == ExprKind::String ||
                      d->kind == ExprKind::Bool;
      if (!constant) {
        r.error(d->range, "the default of parameter `" + p.name +
                              "` must be a constant (a number, string or "
                              "bool)");
      } else {
        Type actual = check(*d, &t);
        if (!assignable(t, actual, d))
          r.error(d->range, "the default of `" + p.name + "` is " +
                                actual.str() + ", but the parameter is " +
                                t.str());
      }
    }
  }
  std::set<std::string> fromParams = sig.generics;
  if (fn.result) {
    sig.result = resolveType(*fn.result, &sig.generics);
    for (const DimExpr &d : fn.result->dims)
      if (d.kind == DimExpr::Symbol && sig.generics.count(d.symbol) &&
          !fromParams.count(d.symbol))
        r.error(d.range, "dimension `" + d.symbol +
                             "` of the result is not "
                             "the size of any parameter; name a parameter's "
                             "dimension or write `?`");
  }
  locals.pop_back();
  if (pushed)
    locals.pop_back();
  currentModule = savedModule;
  return signatures[&fn] = sig;
}

void Sema::checkModel(const ModelDecl &model) {
  int &state = modelState[&model];
  if (state != 0)
    return; // checked, or being checked (a use inside its own methods)
  state = 1;
  const Module *savedModule = currentModule;
  const ModelDecl *savedModel = currentModel;
  auto savedLocals = std::move(locals);
  locals.clear();
  currentModule = model.module;
  currentModel = &model;
  const Signature &ctor =
      ctorSignature(model.ctorParams, &model, model.module, &model);
  locals.emplace_back();
  for (size_t i = 0; i < ctor.params.size(); ++i) {
    Symbol symbol{ctor.paramTypes[i], ctor.params[i]->nameRange,
                  "constructor parameter"};
    if (ctor.paramTypes[i].isInt())
      symbol.dim = Dim::named(ctor.params[i]->name);
    declare(locals.back(), ctor.params[i]->name, symbol,
            ctor.params[i]->nameRange);
  }
  auto &members = memberTypes[&model];
  std::map<std::string, SMRange> seen;
  memberStack.push_back(&model);
  for (const MemberDecl &m : model.members) {
    if (!seen.emplace(m.name, m.nameRange).second) {
      auto diag =
          r.error(m.nameRange, "model `" + model.name +
                                   "` already has a member `" + m.name + "`");
      diag.attachNote(r.rangeLoc(seen[m.name])) << "the first definition";
      continue;
    }
    Type type;
    if (m.type) {
      Type declared = resolveType(*m.type, nullptr);
      if (!declared.isError() &&
          (declared.kind != Type::Tensor || !isFloat(declared.scalar) ||
           declared.unranked)) {
        r.error(m.type->range, "a trainable parameter is a float tensor "
                               "with a shape, such as `f32[out, in]`; `" +
                                   m.name + "` is " + declared.str());
        declared = Type::error();
      }
      Type init = check(*m.init, &declared);
      if (!assignable(declared, init, m.init.get()))
        r.error(m.init->range, "the initial value of `" + m.name + "` is " +
                                   init.str() + ", but it is declared " +
                                   declared.str());
      type = declared;
    } else {
      type = check(*m.init);
      if (type.kind == Type::Void) {
        r.error(m.init->range,
                "this gives no value to member `" + m.name + "`");
        type = Type::error();
      } else if (type.kind == Type::Model &&
                 llvm::is_contained(memberStack, type.model)) {
        std::string chain;
        bool on = false;
        for (const ModelDecl *outer : memberStack) {
          on |= outer == type.model;
          if (on)
            chain += outer->name + " -> ";
        }
        r.error(m.init->range,
                type.model == &model
                    ? "model `" + model.name + "` contains itself"
                    : "model `" + type.model->name + "` contains itself (" +
                          chain + type.model->name + ")");
        type = Type::error();
      }
    }
    members[m.name] = type;
    Symbol symbol{type, m.nameRange, "member"};
    // Members are reached through `self`; keep them out of the bare scope.
    (void)symbol;
  }
  memberStack.pop_back();
  state = 2;
  for (const auto &fn : model.methods) {
    if (!fn->hasSelf)
      r.error(fn->nameRange, "method `" + fn->name + "` of model `" +
                                 model.name + "` must take `self` first");
    if (members.count(fn->name))
      r.error(fn->nameRange, "model `" + model.name +
                                 "` has both a member and a method named `" +
                                 fn->name + "`");
    checkFnBody(*fn);
  }
  locals = std::move(savedLocals);
  currentModule = savedModule;
  currentModel = savedModel;
}

void Sema::checkOptimizer(const OptimizerDecl &opt) {
  currentModule = opt.module;
  const Signature &ctor =
      ctorSignature(opt.ctorParams, &opt, opt.module, nullptr);
  locals.clear();
  locals.emplace_back();
  for (size_t i = 0; i < ctor.params.size(); ++i)
    declare(locals.back(), ctor.params[i]->name,
            {ctor.paramTypes[i], ctor.params[i]->nameRange, "parameter"},
            ctor.params[i]->nameRange);
  Type like = Type::tensor(Scalar::F32, {});
  like.unranked = true;
  for (const MemberDecl &s : opt.states) {
    if (s.type)
      r.error(s.type->range, "an optimizer state takes the shape and type of "
                             "each parameter; write `state " +
                                 s.name + " = 0.0` without a type");
    Type init = check(*s.init);
    if (!init.isError() && !init.isFloatScalar() && !isLiteralNumber(*s.init))
      r.error(s.init->range, "an optimizer state starts as a number that "
                             "fills a tensor shaped like each parameter; "
                             "this is " +
                                 init.str());
    declare(locals.back(), s.name, {like, s.nameRange, "state", true},
            s.nameRange);
  }
  const FnDecl &update = *opt.update;
  const Signature &sig = signature(update);
  bool shapeOk = sig.paramTypes.size() == 3;
  if (shapeOk) {
    auto isLike = [](const Type &t) {
      return t.isError() ||
             (t.kind == Type::Tensor && t.unranked && t.scalar == Scalar::F32);
    };
    shapeOk = isLike(sig.paramTypes[0]) && isLike(sig.paramTypes[1]) &&
              (sig.paramTypes[2].isError() || sig.paramTypes[2].isInt());
  }
  if (!shapeOk)
    r.error(update.nameRange, "an optimizer's rule is `fn update(w: f32[*], "
                              "g: f32[*], t: int)`: the parameter, its "
                              "gradient, and the step number from 1");
  locals.emplace_back();
  for (size_t i = 0; i < sig.params.size(); ++i)
    declare(locals.back(), sig.params[i]->name,
            {sig.paramTypes[i], sig.params[i]->nameRange, "parameter",
             /*isMutable=*/i == 0},
            sig.params[i]->nameRange);
  const FnDecl *savedFn = currentFn;
  currentFn = &update;
  unsigned savedDepth = blockDepth;
  blockDepth = 0;
  checkBlock(update.body);
  blockDepth = savedDepth;
  currentFn = savedFn;
  locals.clear();
}

void Sema::checkFnBody(const FnDecl &fn) {
  const Signature &sig = signature(fn);
  const Module *savedModule = currentModule;
  currentModule = fn.module;
  size_t depth = locals.size();
  locals.emplace_back();
  if (fn.hasSelf && fn.owner) {
    Type self = Type::of(Type::Model);
    self.model = fn.owner;
    declare(locals.back(), "self", {self, fn.nameRange, "self"}, fn.nameRange);
  }
  for (size_t i = 0; i < sig.params.size(); ++i) {
    Symbol symbol{sig.paramTypes[i], sig.params[i]->nameRange, "parameter"};
    if (sig.paramTypes[i].isInt())
      symbol.dim = Dim::named(sig.params[i]->name);
    declare(locals.back(), sig.params[i]->name, symbol,
            sig.params[i]->nameRange);
  }
  // The signature's dimension names are sizes in the body (`T` of
  // `tokens: int[T]`).
  for (const std::string &generic : sig.generics)
    if (!locals.back().count(generic)) {
      Symbol symbol{Type::scalarOf(Scalar::Int), fn.nameRange, "dimension"};
      symbol.dim = Dim::named(generic);
      locals.back()[generic] = symbol;
    }
  const FnDecl *savedFn = currentFn;
  currentFn = &fn;
  unsigned savedDepth = blockDepth;
  blockDepth = 0;
  checkBlock(fn.body, /*newScope=*/false);
  blockDepth = savedDepth;
  bool hasReturn = llvm::any_of(fn.body, [](const StmtPtr &s) {
    return s->kind == StmtKind::Return;
  }); // a misplaced `return` is reported on its own
  if (fn.result && !hasReturn && !fn.bodyHasSyntaxErrors)
    r.error(fn.nameRange, "function `" + fn.name + "` returns " +
                              sig.result.str() +
                              " but does not end with `return`");
  currentFn = savedFn;
  locals.resize(depth);
  currentModule = savedModule;
}

void Sema::checkSchedule(const ScheduleDecl &s, const Module &m) {
  auto &scope = moduleScope(&m);
  auto it = scope.find(s.name);
  if (it == scope.end() || it->second.type.kind != Type::Pipeline) {
    std::vector<std::string> pipelines;
    for (const auto &p : m.pipelines)
      pipelines.push_back(p->name);
    auto diag = r.error(s.nameRange, "schedule for `" + s.name +
                                         "`, but there is no pipeline `" +
                                         s.name + "`");
    r.suggest(diag, s.nameRange, s.name, pipelines);
  }
  std::set<Directive::Kind> seen;
  for (const Directive &d : s.directives) {
    if (d.kind != Directive::Place && !seen.insert(d.kind).second)
      r.error(d.range, "this directive is repeated in the schedule");
    if ((d.kind == Directive::Overlap || d.kind == Directive::OverlapSample) &&
        (d.depth < 1 || d.depth > 8))
      r.error(d.range, "overlap depth must be between 1 and 8, not " +
                           std::to_string(d.depth));
    if (d.kind == Directive::Place && d.target) {
      Type t = check(*d.target);
      if (!t.isError() && t.kind != Type::Table)
        r.error(d.target->range, "only tables are placed; this is " + t.str());
    }
  }
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

void Sema::checkBlock(const std::vector<StmtPtr> &body, bool newScope) {
  if (newScope)
    locals.emplace_back();
  ++blockDepth;
  for (size_t i = 0; i < body.size(); ++i)
    checkStmt(*body[i], i + 1 == body.size());
  --blockDepth;
  if (newScope)
    locals.pop_back();
}

void Sema::checkStmt(const Stmt &s, bool last) {
  switch (s.kind) {
  case StmtKind::Let:
  case StmtKind::Var: {
    Type declared;
    bool annotated = s.type != nullptr;
    if (annotated)
      declared = resolveType(*s.type, nullptr);
    Type value = check(*s.value, annotated ? &declared : nullptr);
    if (value.kind == Type::Void) {
      r.error(s.value->range, "this gives no value to `" + s.name + "`");
      value = Type::error();
    }
    // Names of functions, model and optimizer types and modules are not
    // values (calls are inlined); a bound method is.
    bool named = (value.kind == Type::Function && !value.model) ||
                 value.kind == Type::ModelCtor ||
                 value.kind == Type::OptimizerCtor ||
                 value.kind == Type::ModuleNs || value.kind == Type::Builtin;
    if (named) {
      r.error(s.value->range,
              "`" + s.name + "` would name " +
                  (value.kind == Type::ModuleNs        ? "a module"
                   : value.kind == Type::ModelCtor     ? "a model type"
                   : value.kind == Type::OptimizerCtor ? "an optimizer type"
                                                       : "a function") +
                  (value.kind == Type::ModuleNs
                       ? ", which is not a value; use its members "
                         "(`module.name`)"
                       : ", which is not a value; call it instead"));
      value = Type::error();
    }
    if (s.kind == StmtKind::Var && !value.isError() &&
        value.kind != Type::Scalar && value.kind != Type::Tensor) {
      r.error(s.value->range, "a `var` holds a number, bool or tensor, not " +
                                  value.str() + "; bind it with `let`");
      value = Type::error();
    }
    if (annotated && !assignable(declared, value, s.value.get())) {
      r.error(s.value->range, "`" + s.name + "` is declared " + declared.str() +
                                  " but its value is " + value.str());
    }
    if (annotated)
      program.declared[&s] = declared;
    Symbol symbol{annotated ? declared : value, s.nameRange,
                  s.kind == StmtKind::Var ? "variable" : "value",
                  s.kind == StmtKind::Var};
    if (symbol.type.isInt() && s.kind == StmtKind::Let)
      symbol.dim = dimOf(*s.value);
    if (locals.empty())
      declare(moduleScope(currentModule), s.name, symbol, s.nameRange);
    else
      declare(locals.back(), s.name, symbol, s.nameRange);
    return;
  }
  case StmtKind::Assign: {
    Type value = check(*s.value);
    if (s.target->kind != ExprKind::Name) {
      r.error(s.target->range,
              s.target->kind == ExprKind::Index
                  ? "elements cannot be assigned; tensors are values (compute "
                    "a new one)"
                  : "only variables can be assigned; declare one with `var`");
      return;
    }
    Symbol *symbol = lookup(s.target->text);
    if (!symbol) {
      auto diag = r.error(s.target->range,
                          "assignment to undefined `" + s.target->text + "`");
      r.suggest(diag, s.target->range, s.target->text, visibleNames());
      return;
    }
    if (!symbol->isMutable) {
      auto diag = r.error(s.target->range,
                          "cannot assign to `" + s.target->text + "`: it is " +
                              (symbol->what == "value"
                                   ? std::string("a `let`; declare it with "
                                                 "`var` to change it")
                                   : "a " + symbol->what));
      diag.attachNote(r.rangeLoc(symbol->decl)) << "declared here";
      return;
    }
    if (!assignable(symbol->type, value, s.value.get())) {
      auto diag = r.error(s.value->range,
                          "`" + s.target->text + "` is " + symbol->type.str() +
                              " but the new value is " + value.str());
      diag.attachNote(r.rangeLoc(symbol->decl)) << "declared here";
    }
    program.types[s.target.get()] = symbol->type;
    return;
  }
  case StmtKind::Expr: {
    if (s.value->kind != ExprKind::Call) {
      check(*s.value);
      r.error(s.value->range, "this expression's value is unused; bind it "
                              "with `let` or log it with `log`");
      return;
    }
    check(*s.value);
    return;
  }
  case StmtKind::Return: {
    if (!currentFn) {
      r.error(s.range, "`return` outside a function");
      return;
    }
    if (!last || blockDepth != 1)
      r.error(s.range, "`return` must be the last statement of its function "
                       "(functions are inlined; write the rest as "
                       "`if ... else`)");
    const Signature &sig = signature(*currentFn);
    if (!s.value) {
      if (sig.result.kind != Type::Void)
        r.error(s.range, "`return` needs a value of type " + sig.result.str());
      return;
    }
    Type value = check(*s.value, &sig.result);
    if (sig.result.kind == Type::Void && !value.isError()) {
      r.error(s.value->range, "function `" + currentFn->name +
                                  "` declares no result (add `-> " +
                                  value.str() + "`)");
      return;
    }
    DimMap bound;
    if (!assignable(sig.result, value, s.value.get(), &sig.generics, &bound)) {
      auto diag =
          r.error(s.value->range,
                  "`" + currentFn->name + "` returns " + value.str() +
                      ", but its declared result is " + sig.result.str());
      if (currentFn->result)
        diag.attachNote(r.rangeLoc(currentFn->result->range))
            << "the declared result";
    }
    return;
  }
  case StmtKind::For: {
    Type iterable = check(*s.value);
    Type element = Type::error();
    switch (iterable.kind) {
    case Type::Range:
      element = Type::scalarOf(Scalar::Int);
      break;
    case Type::Batches:
      element = Type::tensor(Scalar::Int, {Dim::dynamic()});
      break;
    case Type::List:
      element = Type::scalarOf(iterable.scalar);
      break;
    case Type::Error:
      break;
    default:
      r.error(s.value->range, "cannot loop over " + iterable.str() +
                                  "; expected a range `a..b`, "
                                  "`batches(...)` or a list");
    }
    if (s.selectHardest) {
      if (iterable.kind != Type::Batches && !iterable.isError())
        r.error(s.selectRange, "`select hardest` chooses among fixed "
                               "batches: loop over `batches(...)`");
      if (iterable.kind == Type::Batches && s.value->kind == ExprKind::Call)
        for (const Arg &a : s.value->args)
          if (a.name == "shuffle" &&
              !(a.value->kind == ExprKind::Bool && !a.value->boolValue))
            r.error(a.value->range, "`select hardest` ranks fixed batches; "
                                    "they cannot be shuffled");
      // (delta: f32, epochs: int)
      static const char *names[] = {"delta", "epochs"};
      const Expr *given[2] = {nullptr, nullptr};
      size_t position = 0;
      for (const Arg &a : s.selectArgs) {
        int slot = -1;
        if (a.name.empty())
          slot = position < 2 ? int(position++) : -1;
        else if (a.name == "delta")
          slot = 0;
        else if (a.name == "epochs")
          slot = 1;
        if (slot < 0) {
          if (a.name.empty())
            r.error(a.value->range, "`select hardest` takes two arguments: "
                                    "(delta, epochs)");
          else {
            auto diag = r.error(a.nameRange, "`select hardest` has no "
                                             "argument `" +
                                                 a.name + "`");
            r.suggest(diag, a.nameRange, a.name, {"delta", "epochs"});
          }
          continue;
        }
        given[slot] = a.value.get();
        Type t = check(*a.value);
        Type want = Type::scalarOf(slot == 0 ? Scalar::F32 : Scalar::Int);
        if (!assignable(want, t, a.value.get()))
          r.error(a.value->range, std::string("`") + names[slot] +
                                      "` of `select hardest` is " + want.str() +
                                      ", not " + t.str());
        if (slot == 0 && isLiteralNumber(*a.value) && [](const Expr &x) {
              bool negative = x.kind == ExprKind::Unary;
              const Expr &lit = negative ? *x.operands[0] : x;
              double v = lit.kind == ExprKind::Int ? double(lit.intValue)
                                                   : lit.floatValue;
              // As the f32 the program computes with (1e-50 is 0 there).
              v = double(float(negative ? -v : v));
              return v <= 0 || v > 1;
            }(*a.value))
          r.error(a.value->range, "`delta` is the share of batches to "
                                  "revisit and must lie in (0, 1]");
      }
      for (int i = 0; i < 2; ++i)
        if (!given[i])
          r.error(s.selectRange, std::string("`select hardest` is missing `") +
                                     names[i] + "`");
    }
    locals.emplace_back();
    declare(locals.back(), s.name, {element, s.nameRange, "loop variable"},
            s.nameRange);
    checkBlock(s.body);
    if (s.selectHardest) {
      // `by loss` names a float computed in the body.
      locals.emplace_back();
      const Stmt *def = nullptr;
      std::vector<std::string> candidates;
      for (const StmtPtr &stmt : s.body)
        if (stmt->kind == StmtKind::Let || stmt->kind == StmtKind::Var) {
          candidates.push_back(stmt->name);
          if (stmt->name == s.byName)
            def = stmt.get();
        }
      if (!def) {
        auto diag = r.error(s.byRange, "`by " + s.byName +
                                           "`: the loop body defines no `" +
                                           s.byName + "`");
        r.suggest(diag, s.byRange, s.byName, candidates);
      } else {
        auto it = program.types.find(def->value.get());
        if (it != program.types.end() && !it->second.isError() &&
            !it->second.isFloatScalar()) {
          auto diag =
              r.error(s.byRange, "batches are ranked by a float "
                                 "loss, but `" +
                                     s.byName + "` is " + it->second.str());
          diag.attachNote(r.rangeLoc(def->nameRange)) << "defined here";
        }
      }
      locals.pop_back();
    }
    locals.pop_back();
    return;
  }
  case StmtKind::If: {
    Type cond = check(*s.value);
    if (!cond.isError() && !cond.isScalar(Scalar::Bool))
      r.error(s.value->range,
              "the condition of `if` must be a bool, not " + cond.str());
    checkBlock(s.body);
    checkBlock(s.elseBody);
    return;
  }
  case StmtKind::Log: {
    Type value = check(*s.value);
    if (!value.isError() && !value.isNumeric())
      r.error(s.value->range,
              "`log` records a number; this is " + value.str() +
                  (value.kind == Type::Tensor ? " (reduce it, e.g. with `mean`)"
                                              : ""));
    return;
  }
  }
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

Dim Sema::dimOf(const Expr &e) {
  auto it = dims.find(&e);
  if (it != dims.end())
    return it->second;
  if (e.kind == ExprKind::Int)
    return Dim::of(e.intValue);
  if (e.kind == ExprKind::Binary) {
    Dim a = dimOf(*e.operands[0]), b = dimOf(*e.operands[1]);
    if (a.kind == Dim::Static && b.kind == Dim::Static) {
      // A result that overflows int64 is not a dimension: dynamic.
      int64_t v;
      switch (e.op) {
      case TokenKind::Plus:
        if (!llvm::AddOverflow(a.value, b.value, v))
          return Dim::of(v);
        break;
      case TokenKind::Minus:
        if (!llvm::SubOverflow(a.value, b.value, v))
          return Dim::of(v);
        break;
      case TokenKind::Star:
        if (!llvm::MulOverflow(a.value, b.value, v))
          return Dim::of(v);
        break;
      case TokenKind::Slash:
        if (b.value != 0 && !(a.value == INT64_MIN && b.value == -1))
          return Dim::of(a.value / b.value);
        break;
      default:
        break;
      }
    }
  }
  return Dim::dynamic();
}

Type Sema::check(const Expr &e, const Type *expected) {
  Type t = checkUncached(e, expected);
  program.types[&e] = t;
  return t;
}

void Sema::shapeMismatch(const Expr &at, const std::string &what, const Expr &a,
                         const Type &ta, const Expr &b, const Type &tb) {
  auto diag = r.error(at.range, "shape mismatch in " + what + ": " + ta.str() +
                                    " and " + tb.str());
  diag.attachNote(r.rangeLoc(a.range)) << "this is " << ta.str();
  diag.attachNote(r.rangeLoc(b.range)) << "this is " << tb.str();
}

bool Sema::broadcast(const Type &a, const Type &b, std::vector<Dim> &out) {
  size_t rank = std::max(a.dims.size(), b.dims.size());
  out.assign(rank, Dim::dynamic());
  for (size_t i = 0; i < rank; ++i) {
    const Dim *da =
        i < a.dims.size() ? &a.dims[a.dims.size() - 1 - i] : nullptr;
    const Dim *db =
        i < b.dims.size() ? &b.dims[b.dims.size() - 1 - i] : nullptr;
    Dim &o = out[rank - 1 - i];
    if (!da) {
      o = *db;
      continue;
    }
    if (!db) {
      o = *da;
      continue;
    }
    if (da->kind == Dim::Static && da->value == 1) {
      o = *db;
      continue;
    }
    if (db->kind == Dim::Static && db->value == 1) {
      o = *da;
      continue;
    }
    if (da->kind == Dim::Dynamic) {
      o = *db;
      continue;
    }
    if (db->kind == Dim::Dynamic) {
      o = *da;
      continue;
    }
    if (!(*da == *db))
      return false;
    o = *da;
  }
  return true;
}

Type Sema::checkBinary(const Expr &e) {
  const Expr &lhs = *e.operands[0], &rhs = *e.operands[1];
  Type a = check(lhs), b = check(rhs);
  if (a.isError() || b.isError())
    return Type::error();
  // A list literal in arithmetic is a vector of its length, with the
  // element type of the tensor on the other side when that is a float.
  auto asVector = [&](const Expr &x, Type &t, const Type &other) {
    if (t.kind != Type::List || x.kind != ExprKind::List)
      return true;
    Scalar element = t.scalar;
    if (other.kind == Type::Tensor && isFloat(other.scalar))
      element = other.scalar;
    // Number literals adapt; other elements must already have the type.
    for (const ExprPtr &item : x.operands) {
      Type it = program.types[item.get()];
      if (!isLiteralNumber(*item) && it.kind == Type::Scalar &&
          it.scalar != element) {
        r.error(item->range, "this element is " + it.str() +
                                 ", but the vector is " + scalarName(element) +
                                 "; convert it, e.g. "
                                 "with `" +
                                 scalarName(element) + "(...)`");
        return false;
      }
    }
    t = Type::tensor(element, {Dim::of(int64_t(x.operands.size()))});
    program.types[&x] = t;
    return true;
  };
  if (!asVector(lhs, a, b) || !asVector(rhs, b, a))
    return Type::error();
  std::string op = spelling(e.op).str();
  if (e.op == TokenKind::AndAnd || e.op == TokenKind::OrOr) {
    for (auto [x, t] : {std::pair(&lhs, a), std::pair(&rhs, b)})
      if (!t.isScalar(Scalar::Bool)) {
        r.error(x->range, op + " needs bools; this is " + t.str());
        return Type::error();
      }
    return Type::scalarOf(Scalar::Bool);
  }
  auto numeric = [](const Type &t) {
    return t.isNumeric() ||
           (t.kind == Type::Tensor && t.scalar != Scalar::Bool);
  };
  bool comparison = e.op == TokenKind::EqEq || e.op == TokenKind::NotEq ||
                    e.op == TokenKind::Less || e.op == TokenKind::LessEq ||
                    e.op == TokenKind::Greater || e.op == TokenKind::GreaterEq;
  for (auto [x, t] : {std::pair(&lhs, a), std::pair(&rhs, b)})
    if (!numeric(t) && !(comparison && t.kind == Type::Scalar)) {
      r.error(x->range, "operator " + op +
                            " needs numbers or tensors; this "
                            "is " +
                            t.str());
      return Type::error();
    }
  // Element types: equal, or a number literal adopting the other side's.
  Scalar element = a.scalar;
  if (a.scalar != b.scalar) {
    if (isLiteralNumber(rhs) && isFloat(a.scalar) &&
        (b.scalar == Scalar::Int || isFloat(b.scalar)))
      element = a.scalar;
    else if (isLiteralNumber(lhs) && isFloat(b.scalar) &&
             (a.scalar == Scalar::Int || isFloat(a.scalar)))
      element = b.scalar;
    else if (isIntLiteral(rhs) && a.scalar == Scalar::I32)
      element = a.scalar;
    else if (isIntLiteral(lhs) && b.scalar == Scalar::I32)
      element = b.scalar;
    else {
      auto diag = r.error(
          e.range,
          "operator " + op + " mixes " + std::string(scalarName(a.scalar)) +
              " and " + scalarName(b.scalar) +
              "; convert one side, e.g. with `" +
              scalarName(isFloat(a.scalar) ? a.scalar : b.scalar) + "(...)`");
      diag.attachNote(r.rangeLoc(lhs.range)) << "this is " << a.str();
      diag.attachNote(r.rangeLoc(rhs.range)) << "this is " << b.str();
      return Type::error();
    }
  }
  if (e.op == TokenKind::At) {
    if (a.kind != Type::Tensor || b.kind != Type::Tensor || a.unranked ||
        b.unranked || a.rank() < 1 || a.rank() > 2 || b.rank() < 1 ||
        b.rank() > 2 || (a.rank() == 1 && b.rank() == 1)) {
      r.error(e.range, "`@` multiplies matrices (rank 2, or a vector with a "
                       "matrix); the operands are " +
                           a.str() + " and " + b.str());
      return Type::error();
    }
    const Dim &k1 = a.dims.back();
    const Dim &k2 = b.rank() == 2 ? b.dims[0] : b.dims[0];
    if (!unifyDim(k1, k2, nullptr, nullptr)) {
      auto diag =
          r.error(e.range, "inner dimensions of `@` differ: " + k1.str() +
                               " and " + k2.str());
      diag.attachNote(r.rangeLoc(lhs.range)) << "this is " << a.str();
      diag.attachNote(r.rangeLoc(rhs.range)) << "this is " << b.str();
      return Type::error();
    }
    std::vector<Dim> out;
    if (a.rank() == 2)
      out.push_back(a.dims[0]);
    if (b.rank() == 2)
      out.push_back(b.dims[1]);
    return Type::tensor(element, out);
  }
  Type result;
  if (a.kind == Type::Scalar && b.kind == Type::Scalar) {
    result = Type::scalarOf(element);
  } else if (a.unranked || b.unranked) {
    result = Type::tensor(element, {});
    result.unranked = true;
  } else {
    std::vector<Dim> out;
    Type ta = a.kind == Type::Tensor ? a : Type::tensor(element, {});
    Type tb = b.kind == Type::Tensor ? b : Type::tensor(element, {});
    if (!broadcast(ta, tb, out)) {
      shapeMismatch(e, op, lhs, a, rhs, b);
      return Type::error();
    }
    result = Type::tensor(element, out);
  }
  if (comparison)
    result.scalar = Scalar::Bool;
  if (e.op == TokenKind::Percent && isFloat(element)) {
    r.error(e.range, "`%` is defined for integers only");
    return Type::error();
  }
  return result;
}

Type Sema::checkIndex(const Expr &e) {
  const Expr &base = *e.operands[0];
  Type b = check(base);
  std::vector<Type> indices;
  for (size_t i = 1; i < e.operands.size(); ++i)
    indices.push_back(check(*e.operands[i]));
  if (b.isError() ||
      llvm::any_of(indices, [](const Type &t) { return t.isError(); }))
    return Type::error();
  if (b.kind != Type::Tensor && b.kind != Type::Table && b.kind != Type::List) {
    r.error(base.range, "only tensors, tables and lists can be indexed; "
                        "this is " +
                            b.str());
    return Type::error();
  }
  if (b.kind == Type::List) {
    if (indices.size() != 1 || !indices[0].isInt()) {
      r.error(e.range, "a list is indexed by one int");
      return Type::error();
    }
    return Type::scalarOf(b.scalar);
  }
  // Gather: one index tensor picks rows.
  if (indices.size() == 1 && indices[0].kind == Type::Tensor) {
    if (!indices[0].isIndexTensor()) {
      r.error(e.operands[1]->range, "rows are picked by a 1-D int tensor; "
                                    "this is " +
                                        indices[0].str());
      return Type::error();
    }
    std::vector<Dim> out = {indices[0].dims[0]};
    for (size_t i = 1; i < b.dims.size(); ++i)
      out.push_back(b.dims[i]);
    return Type::tensor(b.scalar, out);
  }
  for (size_t i = 0; i < indices.size(); ++i)
    if (!indices[i].isInt()) {
      r.error(e.operands[i + 1]->range, "an index is an int (or one 1-D int "
                                        "tensor of rows); this is " +
                                            indices[i].str());
      return Type::error();
    }
  if (b.unranked || indices.size() > b.dims.size()) {
    r.error(e.range,
            std::to_string(indices.size()) + " indices into " + b.str());
    return Type::error();
  }
  std::vector<Dim> rest(b.dims.begin() + indices.size(), b.dims.end());
  if (rest.empty())
    return Type::scalarOf(b.scalar);
  return Type::tensor(b.scalar, rest);
}

bool Sema::bindArgs(const Expr &call, const std::string &callee,
                    const std::vector<const ParamDecl *> &params,
                    std::vector<const Expr *> &bound, size_t skip,
                    SMRange declRange) {
  bound.assign(params.size(), nullptr);
  size_t position = 0;
  bool ok = true;
  for (size_t i = skip; i < call.args.size(); ++i) {
    const Arg &a = call.args[i];
    size_t slot = params.size();
    if (a.name.empty()) {
      slot = position++;
      if (slot >= params.size()) {
        auto diag =
            r.error(a.value->range,
                    "too many arguments to `" + callee + "`: it takes " +
                        std::to_string(params.size()) +
                        (params.size() == 1 ? " argument" : " arguments"));
        if (declRange.Start.isValid())
          diag.attachNote(r.rangeLoc(declRange))
              << "`" << callee << "` is defined here";
        ok = false;
        continue;
      }
    } else {
      for (size_t j = 0; j < params.size(); ++j)
        if (params[j]->name == a.name)
          slot = j;
      if (slot == params.size()) {
        std::vector<std::string> names;
        for (const ParamDecl *p : params)
          names.push_back(p->name);
        auto diag = r.error(a.nameRange, "`" + callee + "` has no parameter `" +
                                             a.name + "`");
        r.suggest(diag, a.nameRange, a.name, names);
        ok = false;
        continue;
      }
      if (bound[slot]) {
        r.error(a.nameRange, "argument `" + a.name + "` is given twice");
        ok = false;
        continue;
      }
    }
    bound[slot] = a.value.get();
  }
  for (size_t j = 0; j < params.size(); ++j)
    if (!bound[j] && !params[j]->defaultValue) {
      auto diag = r.error(call.range, "missing argument `" + params[j]->name +
                                          "` of `" + callee + "`");
      diag.attachNote(r.rangeLoc(params[j]->range)) << "declared here";
      ok = false;
    }
  return ok;
}

Type Sema::callSignature(const Expr &call, const std::string &callee,
                         const Signature &sig, DimMap bindings, size_t skip,
                         SMRange declRange) {
  std::vector<const Expr *> bound;
  std::vector<Type> argTypes;
  for (size_t i = skip; i < call.args.size(); ++i)
    check(*call.args[i].value);
  if (!bindArgs(call, callee, sig.params, bound, skip, declRange))
    return Type::error();
  // Int arguments bind the parameter's dimension name.
  for (size_t j = 0; j < sig.params.size(); ++j)
    if (bound[j] && sig.paramTypes[j].isInt())
      bindings[sig.params[j]->name] = dimOf(*bound[j]);
  // A size named through another parameter (`g.features.cols` of `g:
  // Graph`) is the argument's: `G.features.cols` when it is a path, else
  // known only at run time.
  std::map<std::string, std::optional<std::string>> roots;
  for (size_t j = 0; j < sig.params.size(); ++j)
    if (!sig.paramTypes[j].isInt())
      roots[sig.params[j]->name] = bound[j] ? pathOf(*bound[j]) : std::nullopt;
  auto reroot = [&](Type t) {
    for (Dim &d : t.dims) {
      if (d.kind != Dim::Symbol)
        continue;
      auto [root, rest] = StringRef(d.symbol).split('.');
      auto it = roots.find(root.str());
      if (it == roots.end() || rest.empty())
        continue;
      d = it->second ? Dim::named(*it->second + "." + rest.str())
                     : Dim::dynamic();
    }
    return t;
  };
  DimMap generic;
  bool ok = true;
  for (size_t j = 0; j < sig.params.size(); ++j) {
    if (!bound[j])
      continue;
    Type expected = reroot(substitute(sig.paramTypes[j], bindings));
    Type actual = program.types[bound[j]];
    if (!assignable(expected, actual, bound[j], &sig.generics, &generic)) {
      Type shown = substitute(expected, generic);
      auto diag = r.error(bound[j]->range,
                          "argument `" + sig.params[j]->name + "` of `" +
                              callee + "` is " + actual.str() +
                              ", but the parameter is " + shown.str());
      diag.attachNote(r.rangeLoc(sig.params[j]->range)) << "declared here";
      ok = false;
    }
  }
  if (!ok)
    return Type::error();
  for (auto &[name, dim] : generic)
    bindings[name] = dim;
  return reroot(substitute(sig.result, bindings));
}

Type Sema::checkCall(const Expr &e, const Type *expected) {
  const Expr &calleeExpr = *e.operands[0];
  // Builtins by bare name (unless shadowed).
  if (calleeExpr.kind == ExprKind::Name && isBuiltin(calleeExpr.text) &&
      !lookup(calleeExpr.text)) {
    program.types[&calleeExpr] = Type::of(Type::Builtin);
    return checkBuiltin(calleeExpr.text, e, expected);
  }
  Type callee = check(calleeExpr);
  std::string name = pathOf(calleeExpr).value_or("function");
  switch (callee.kind) {
  case Type::Error:
    for (const Arg &a : e.args)
      check(*a.value);
    return callee;
  case Type::Builtin:
    return checkBuiltin(callee.builtin, e, expected);
  case Type::Function: {
    const FnDecl &fn = *callee.fn;
    callEdges[currentFn].push_back({&fn, e.range});
    if (fn.owner)
      checkModel(*fn.owner);
    DimMap bindings = callee.bindings ? *callee.bindings : DimMap();
    return callSignature(e, name, signature(fn), bindings, 0, fn.nameRange);
  }
  case Type::Model: {
    // Calling a model instance calls its `forward`.
    checkModel(*callee.model);
    const FnDecl *forward = callee.model->method("forward");
    if (forward)
      callEdges[currentFn].push_back({forward, e.range});
    if (!forward) {
      r.error(e.range, "model `" + callee.model->name +
                           "` has no `forward` method to call");
      return Type::error();
    }
    DimMap bindings = callee.bindings ? *callee.bindings : DimMap();
    return callSignature(e, name + ".forward", signature(*forward), bindings, 0,
                         forward->nameRange);
  }
  case Type::ModelCtor: {
    const ModelDecl &model = *callee.model;
    checkModel(model);
    const Signature &ctor =
        ctorSignature(model.ctorParams, &model, model.module, &model);
    DimMap bindings;
    Type result = callSignature(e, name, ctor, bindings, 0, model.nameRange);
    if (result.isError())
      return result;
    // The instance's dimensions: its int constructor arguments.
    std::vector<const Expr *> bound;
    bindArgs(e, name, ctor.params, bound);
    auto map = std::make_shared<DimMap>();
    for (size_t j = 0; j < ctor.params.size(); ++j)
      if (ctor.paramTypes[j].isInt())
        (*map)[ctor.params[j]->name] =
            bound[j] ? dimOf(*bound[j]) : dimOf(*ctor.params[j]->defaultValue);
    Type instance = Type::of(Type::Model);
    instance.model = &model;
    instance.bindings = map;
    return instance;
  }
  case Type::OptimizerCtor: {
    const OptimizerDecl &opt = *callee.optimizer;
    if (e.args.empty() || !e.args[0].name.empty()) {
      r.error(e.range,
              "an optimizer is made for a model: `" + name + "(model, ...)`");
      return Type::error();
    }
    Type model = check(*e.args[0].value);
    if (!model.isError() && model.kind != Type::Model) {
      r.error(e.args[0].value->range, "the first argument of `" + name +
                                          "` is the model to train; this is " +
                                          model.str());
      return Type::error();
    }
    const Signature &ctor =
        ctorSignature(opt.ctorParams, &opt, opt.module, nullptr);
    Type result = callSignature(e, name, ctor, {}, 1, opt.nameRange);
    if (result.isError())
      return result;
    Type instance = Type::of(Type::Optimizer);
    instance.optimizer = &opt;
    return instance;
  }
  default:
    for (const Arg &a : e.args)
      check(*a.value);
    r.error(calleeExpr.range,
            "`" + name + "` is " + callee.str() + " and cannot be called");
    return Type::error();
  }
}

Type Sema::checkUncached(const Expr &e, const Type *expected) {
  switch (e.kind) {
  case ExprKind::Int:
    return Type::scalarOf(Scalar::Int);
  case ExprKind::Float:
    // Float literals are f32 unless an f64 is expected: past f32's range
    // one would silently be infinity.
    if (std::fabs(e.floatValue) > double(std::numeric_limits<float>::max()) &&
        !(expected && expected->kind == Type::Scalar &&
          expected->scalar == Scalar::F64)) {
      char value[32];
      std::snprintf(value, sizeof value, "%g", e.floatValue);
      r.error(e.range, std::string("float literal ") + value +
                           " is too large for f32 (at most about 3.4e38); "
                           "use an f64 where it must be this large");
    }
    return Type::scalarOf(Scalar::F32);
  case ExprKind::Bool:
    return Type::scalarOf(Scalar::Bool);
  case ExprKind::String:
    return Type::of(Type::Str);
  case ExprKind::Self: {
    Symbol *self = lookup("self");
    if (!self) {
      r.error(e.range, "`self` is only available in model methods");
      return Type::error();
    }
    return self->type;
  }
  case ExprKind::Name: {
    Symbol *symbol = lookup(e.text);
    if (!symbol) {
      if (isBuiltin(e.text)) {
        r.error(e.range, "builtin `" + e.text + "` must be called");
        return Type::error();
      }
      auto diag = r.error(e.range, "unknown name `" + e.text + "`");
      r.suggest(diag, e.range, e.text, visibleNames());
      return Type::error();
    }
    if (symbol->dim)
      dims[&e] = *symbol->dim;
    if (symbol->type.kind == Type::Pipeline) {
      r.error(e.range, "pipeline `" + e.text + "` is not a value");
      return Type::error();
    }
    return symbol->type;
  }
  case ExprKind::Member: {
    Type base = check(*e.operands[0]);
    std::optional<Dim> dim;
    Type t = memberType(base, pathOf(*e.operands[0]), e, dim);
    if (dim)
      dims[&e] = *dim;
    return t;
  }
  case ExprKind::Call:
    return checkCall(e, expected);
  case ExprKind::Index:
    return checkIndex(e);
  case ExprKind::Unary: {
    Type t = check(*e.operands[0]);
    if (t.isError())
      return t;
    if (e.op == TokenKind::Bang) {
      if (!t.isScalar(Scalar::Bool) &&
          !(t.kind == Type::Tensor && t.scalar == Scalar::Bool)) {
        r.error(e.range, "`!` needs a bool; this is " + t.str());
        return Type::error();
      }
      return t;
    }
    if (!t.isNumeric() &&
        !(t.kind == Type::Tensor && t.scalar != Scalar::Bool)) {
      r.error(e.range, "`-` needs a number or tensor; this is " + t.str());
      return Type::error();
    }
    if (e.operands[0]->kind == ExprKind::Int)
      dims[&e] = Dim::dynamic();
    return t;
  }
  case ExprKind::Binary: {
    Type t = checkBinary(e);
    if (t.isInt())
      dims[&e] = dimOf(e);
    return t;
  }
  case ExprKind::List: {
    if (e.operands.empty()) {
      if (expected && expected->kind == Type::List)
        return *expected;
      // `let v: int[0] = []`: a vector of the annotation's element type.
      if (expected && expected->kind == Type::Tensor && !expected->unranked &&
          expected->dims.size() == 1) {
        Type list = Type::of(Type::List);
        list.scalar = expected->scalar;
        return list;
      }
      r.error(e.range, "cannot infer the type of an empty list; give it a "
                       "type");
      return Type::error();
    }
    Type list = Type::of(Type::List);
    list.scalar = Scalar::Int;
    // The elements' type: that of its non-literal elements, which must
    // agree; number literals adapt (a float literal makes a list of f32).
    std::optional<Scalar> fixed;
    const Expr *fixedBy = nullptr;
    for (const ExprPtr &element : e.operands) {
      Type t = check(*element);
      if (t.isError())
        return t;
      if (!t.isNumeric()) {
        r.error(element->range, "lists hold numbers; this is " + t.str());
        return Type::error();
      }
      if (isLiteralNumber(*element)) {
        if (!fixed && isFloat(t.scalar))
          list.scalar = t.scalar;
        continue;
      }
      if (fixed && *fixed != t.scalar) {
        auto diag =
            r.error(element->range,
                    "list elements of different types: this is " + t.str() +
                        ", an earlier one " + scalarName(*fixed));
        diag.attachNote(r.rangeLoc(fixedBy->range))
            << "this is " << scalarName(*fixed);
        return Type::error();
      }
      fixed = t.scalar;
      fixedBy = element.get();
      list.scalar = t.scalar;
    }
    // Number literals take the expected element type; other elements keep
    // theirs (and a mismatch is reported where the list is used).
    bool adapts = llvm::all_of(e.operands, [&](const ExprPtr &item) {
      return isLiteralNumber(*item) ||
             (expected && program.types[item.get()].scalar == expected->scalar);
    });
    if (expected &&
        (expected->kind == Type::List || expected->kind == Type::Tensor) &&
        isFloat(expected->scalar) && adapts)
      list.scalar = expected->scalar;
    return list;
  }
  case ExprKind::Range: {
    for (const ExprPtr &bound : e.operands) {
      Type t = check(*bound);
      if (!t.isError() && !t.isInt()) {
        r.error(bound->range, "range bounds are ints; this is " + t.str());
        return Type::error();
      }
    }
    return Type::of(Type::Range);
  }
  }
  return Type::error();
}

//===----------------------------------------------------------------------===//
// Builtins
//===----------------------------------------------------------------------===//

Type Sema::checkBuiltin(const std::string &name, const Expr &call,
                        const Type *expected) {
  // Positional and named arguments against a fixed parameter list.
  struct P {
    const char *name;
    bool optional;
  };
  std::vector<Type> types;
  std::vector<const Expr *> args;
  auto bind = [&](std::initializer_list<P> params) {
    std::vector<ParamDecl> decls;
    for (const P &p : params) {
      ParamDecl d;
      d.name = p.name;
      d.range = call.range;
      if (p.optional)
        d.defaultValue = std::make_unique<Expr>(ExprKind::Bool, call.range);
      decls.push_back(std::move(d));
    }
    std::vector<const ParamDecl *> pointers;
    for (const ParamDecl &d : decls)
      pointers.push_back(&d);
    std::vector<const Expr *> bound;
    for (const Arg &a : call.args)
      check(*a.value);
    bool ok = bindArgs(call, name, pointers, bound);
    args = bound;
    types.clear();
    for (const Expr *a : bound)
      types.push_back(a ? program.types[a] : Type::voidType());
    return ok &&
           llvm::none_of(types, [](const Type &t) { return t.isError(); });
  };
  auto argError = [&](size_t i, const std::string &want) {
    r.error(args[i]->range,
            "`" + name + "` expects " + want + "; this is " + types[i].str());
    return Type::error();
  };
  auto isFloatTensor = [](const Type &t) {
    return t.kind == Type::Tensor && isFloat(t.scalar);
  };
  auto wants = [&](size_t i, Type want) {
    return !args[i] || assignable(want, types[i], args[i]);
  };
  Type intT = Type::scalarOf(Scalar::Int), boolT = Type::scalarOf(Scalar::Bool);
  Type f32T = Type::scalarOf(Scalar::F32);
  Type indexTensor = Type::tensor(Scalar::Int, {Dim::dynamic()});

  if (name == "load_graph" || name == "load_dataset") {
    if (!bind({{"source", false}}))
      return Type::error();
    if (types[0].kind != Type::Str && types[0].kind != Type::Path)
      return argError(0, "a path (a file, directory or `builtin:` source)");
    return Type::of(name == "load_graph" ? Type::Graph : Type::Dataset);
  }
  if (name == "batches") {
    if (!bind({{"indices", false},
               {"size", false},
               {"shuffle", true},
               {"seed", true}}))
      return Type::error();
    if (!types[0].isIndexTensor())
      return argError(0, "a 1-D int tensor of indices");
    if (!types[1].isInt())
      return argError(1, "the batch size (an int)");
    if (!wants(2, boolT))
      return argError(2, "a bool");
    if (!wants(3, intT))
      return argError(3, "an int seed");
    if (args[1] && isIntLiteral(*args[1]) &&
        (args[1]->kind == ExprKind::Unary || args[1]->intValue <= 0))
      r.error(args[1]->range, "the batch size must be positive");
    return Type::of(Type::Batches);
  }
  if (name == "sample") {
    if (!bind({{"graph", false},
               {"seeds", false},
               {"fanout", false},
               {"seed", true}}))
      return Type::error();
    if (types[0].kind != Type::Graph)
      return argError(0, "a Graph");
    if (!types[1].isIndexTensor())
      return argError(1, "the seed nodes (a 1-D int tensor)");
    if (types[2].kind != Type::List || types[2].scalar != Scalar::Int)
      return argError(2, "the per-layer fanouts (an [int])");
    if (!wants(3, intT))
      return argError(3, "an int seed");
    return Type::of(Type::Blocks);
  }
  if (name == "Blocks.layer") {
    if (!bind({{"index", false}}))
      return Type::error();
    if (!types[0].isInt())
      return argError(0, "a layer number (an int)");
    return Type::of(Type::Block);
  }
  if (name == "Optimizer.step") {
    if (!bind({{"loss", false}}))
      return Type::error();
    if (!types[0].isFloatScalar())
      return argError(0, "a float loss (a scalar; reduce a tensor with "
                         "`mean`)");
    if (!inPipeline && !currentFn)
      r.error(call.range, "`step` runs in a pipeline");
    return Type::voidType();
  }
  if (name == "gather") {
    if (!bind({{"table", false}, {"indices", false}}))
      return Type::error();
    if (types[0].kind != Type::Table && types[0].kind != Type::Tensor)
      return argError(0, "a table (or tensor) to gather rows from");
    if (!types[1].isIndexTensor())
      return argError(1, "a 1-D int tensor of row indices");
    std::vector<Dim> out = {types[1].dims[0]};
    for (size_t i = 1; i < types[0].dims.size(); ++i)
      out.push_back(types[0].dims[i]);
    return Type::tensor(types[0].scalar, out);
  }
  if (name == "relu" || name == "gelu" || name == "tanh" || name == "sigmoid" ||
      name == "exp" || name == "log" || name == "sqrt" || name == "abs") {
    if (!bind({{"x", false}}))
      return Type::error();
    if (!isFloatTensor(types[0]) && !types[0].isFloatScalar() &&
        !(name == "abs" && types[0].isNumeric()))
      return argError(0, "a float or float tensor");
    return types[0];
  }
  if (name == "softmax" || name == "log_softmax") {
    if (!bind({{"x", false}}))
      return Type::error();
    if (!isFloatTensor(types[0]) || types[0].unranked || types[0].rank() < 1)
      return argError(0, "a float tensor (normalized over its last axis)");
    return types[0];
  }
  if (name == "sum" || name == "mean") {
    if (!bind({{"x", false}}))
      return Type::error();
    if (types[0].kind != Type::Tensor || types[0].scalar == Scalar::Bool ||
        (name == "mean" && !isFloat(types[0].scalar)))
      return argError(0, name == "mean" ? "a float tensor" : "a tensor");
    return Type::scalarOf(types[0].scalar);
  }
  if (name == "transpose") {
    if (!bind({{"x", false}}))
      return Type::error();
    if (types[0].kind != Type::Tensor || types[0].unranked ||
        types[0].rank() != 2)
      return argError(0, "a matrix (a rank-2 tensor)");
    return Type::tensor(types[0].scalar, {types[0].dims[1], types[0].dims[0]});
  }
  if (name == "concat") {
    if (!bind({{"a", false}, {"b", false}, {"axis", true}}))
      return Type::error();
    const Type &ta = types[0], &tb = types[1];
    if (ta.kind != Type::Tensor || ta.unranked || ta.rank() < 1)
      return argError(0, "a tensor");
    if (tb.kind != Type::Tensor || tb.unranked || tb.rank() != ta.rank() ||
        tb.scalar != ta.scalar)
      return argError(1, "a tensor of the same element type and rank as "
                         "the first (" +
                             ta.str() + ")");
    int64_t axis = 0;
    if (args[2]) {
      if (args[2]->kind != ExprKind::Int || args[2]->intValue < 0 ||
          args[2]->intValue >= int64_t(ta.rank()))
        return argError(2, "an integer literal from 0 to " +
                               std::to_string(ta.rank() - 1) +
                               " (the axis to join along)");
      axis = args[2]->intValue;
    }
    std::vector<Dim> dims = ta.dims;
    for (size_t i = 0; i < dims.size(); ++i) {
      if (int64_t(i) == axis)
        continue;
      if (!unifyDim(ta.dims[i], tb.dims[i], nullptr, nullptr)) {
        r.error(call.range, "`concat` joins along axis " +
                                std::to_string(axis) +
                                "; the other sizes must agree, but axis " +
                                std::to_string(i) + " is " + ta.dims[i].str() +
                                " and " + tb.dims[i].str());
        return Type::error();
      }
      if (dims[i].kind == Dim::Dynamic)
        dims[i] = tb.dims[i];
    }
    const Dim &da = ta.dims[axis], &db = tb.dims[axis];
    dims[axis] = da.kind == Dim::Static && db.kind == Dim::Static
                     ? Dim::of(da.value + db.value)
                     : Dim::dynamic();
    return Type::tensor(ta.scalar, dims);
  }
  if (name == "reshape") {
    if (!bind({{"x", false}, {"shape", false}}))
      return Type::error();
    const Type &tx = types[0];
    if (tx.kind != Type::Tensor || tx.unranked)
      return argError(0, "a tensor");
    const Expr *shape = args[1];
    if (shape->kind != ExprKind::List || shape->operands.empty())
      return argError(1, "a list of sizes, such as `[n, 4]`");
    std::vector<Dim> dims;
    int64_t known = 1;
    bool allStatic = true;
    for (const auto &element : shape->operands) {
      const Type &t = program.types[element.get()];
      if (t.kind != Type::Scalar || t.scalar != Scalar::Int) {
        r.error(element->range,
                "`reshape` sizes are integers; this is " + t.str());
        return Type::error();
      }
      if (element->kind == ExprKind::Int) {
        dims.push_back(Dim::of(element->intValue));
        known *= element->intValue;
      } else {
        dims.push_back(Dim::dynamic());
        allStatic = false;
      }
    }
    int64_t count = 1;
    bool inputStatic = true;
    for (const Dim &d : tx.dims) {
      if (d.kind != Dim::Static)
        inputStatic = false;
      else
        count *= d.value;
    }
    if (allStatic && inputStatic && known != count) {
      r.error(call.range, "`reshape` cannot make " + std::to_string(count) +
                              " elements (" + tx.str() + ") into " +
                              std::to_string(known));
      return Type::error();
    }
    return Type::tensor(tx.scalar, dims);
  }
  if (name == "argmax") {
    if (!bind({{"x", false}}))
      return Type::error();
    if (!isFloatTensor(types[0]) || types[0].unranked || types[0].rank() < 1)
      return argError(0, "a float tensor (reduced over its last axis)");
    std::vector<Dim> out(types[0].dims.begin(), types[0].dims.end() - 1);
    if (out.empty())
      return intT;
    return Type::tensor(Scalar::Int, out);
  }
  if (name == "take_along") {
    if (!bind({{"x", false}, {"labels", false}}))
      return Type::error();
    if (!isFloatTensor(types[0]) || types[0].unranked || types[0].rank() != 2)
      return argError(0, "a float matrix");
    if (!types[1].isIndexTensor())
      return argError(1, "a 1-D int tensor with one column per row");
    if (!unifyDim(types[0].dims[0], types[1].dims[0], nullptr, nullptr)) {
      shapeMismatch(call, "`take_along` (rows)", *args[0], types[0], *args[1],
                    types[1]);
      return Type::error();
    }
    return Type::tensor(types[0].scalar, {types[0].dims[0]});
  }
  if (name == "aggregate_mean" || name == "dst") {
    if (!bind({{"block", false}, {"x", false}}))
      return Type::error();
    if (types[0].kind != Type::Block)
      return argError(0, "a Block (`b.layer(i)`)");
    if (types[1].kind != Type::Tensor || types[1].unranked ||
        types[1].rank() < 2 ||
        (name == "aggregate_mean" && !isFloat(types[1].scalar)))
      return argError(1, "node features (a rank-2 float tensor)");
    Type out = types[1];
    out.dims[0] = Dim::dynamic();
    return out;
  }
  if (name == "zeros" || name == "ones" || name == "uniform" ||
      name == "normal") {
    bool random = name == "uniform" || name == "normal";
    bool ok = random ? bind({{name == "uniform" ? "low" : "mean", false},
                             {name == "uniform" ? "high" : "std", false},
                             {"seed", true}})
                     : bind({});
    if (!ok)
      return Type::error();
    if (random) {
      for (size_t i = 0; i < 2; ++i)
        if (!types[i].isFloatScalar() && !isLiteralNumber(*args[i]))
          return argError(i, "a float");
      if (!wants(2, intT))
        return argError(2, "an int seed");
      if (args[2] && args[2]->kind != ExprKind::Int)
        return argError(2, "a constant seed (an int literal), since it "
                           "fixes the initial values at compile time");
    }
    if (!expected || expected->isError()) {
      if (!expected)
        r.error(call.range, "cannot infer the shape of `" + name +
                                "(...)`; give it a type, e.g. `let w: "
                                "f32[4, 4] = " +
                                name + "(...)`");
      return Type::error();
    }
    if (expected->kind != Type::Tensor || !isFloat(expected->scalar) ||
        expected->unranked) {
      r.error(call.range, "`" + name +
                              "` makes float tensors with a shape, "
                              "not " +
                              expected->str());
      return Type::error();
    }
    return *expected;
  }
  if (name == "zeros_like" || name == "ones_like") {
    if (!bind({{"x", false}}))
      return Type::error();
    if (types[0].kind != Type::Tensor)
      return argError(0, "a tensor");
    return types[0];
  }
  if (name == "f32" || name == "f64" || name == "int" || name == "i32") {
    if (!bind({{"x", false}}))
      return Type::error();
    Scalar to = name == "f32"   ? Scalar::F32
                : name == "f64" ? Scalar::F64
                : name == "int" ? Scalar::Int
                                : Scalar::I32;
    if (types[0].kind != Type::Scalar && types[0].kind != Type::Tensor)
      return argError(0, "a number or tensor");
    Type out = types[0];
    out.scalar = to;
    return out;
  }
  if (name == "pow" || name == "min" || name == "max") {
    if (!bind({{"a", false}, {"b", false}}))
      return Type::error();
    for (size_t i = 0; i < 2; ++i)
      if (!types[i].isNumeric() && !isFloatTensor(types[i]))
        return argError(i, "a number or float tensor");
    const Type &t = types[0].kind == Type::Tensor ? types[0] : types[1];
    if (types[0].kind == Type::Scalar && types[1].kind == Type::Scalar &&
        types[0].scalar != types[1].scalar && !isLiteralNumber(*args[0]) &&
        !isLiteralNumber(*args[1])) {
      r.error(call.range, "`" + name + "` mixes " + types[0].str() + " and " +
                              types[1].str());
      return Type::error();
    }
    if (types[0].kind == Type::Tensor || types[1].kind == Type::Tensor) {
      // Elementwise, as an operator: one element type, broadcast shapes.
      Scalar element = t.scalar;
      for (size_t i = 0; i < 2; ++i)
        if (types[i].scalar != element && !isLiteralNumber(*args[i])) {
          r.error(call.range, "`" + name + "` mixes " + types[0].str() +
                                  " and " + types[1].str() +
                                  "; convert one side, e.g. with `" +
                                  scalarName(element) + "(...)`");
          return Type::error();
        }
      if (types[0].unranked || types[1].unranked) {
        Type out = Type::tensor(element, {});
        out.unranked = true;
        return out;
      }
      Type ta =
          types[0].kind == Type::Tensor ? types[0] : Type::tensor(element, {});
      Type tb =
          types[1].kind == Type::Tensor ? types[1] : Type::tensor(element, {});
      std::vector<Dim> out;
      if (!broadcast(ta, tb, out)) {
        shapeMismatch(call, "`" + name + "`", *args[0], types[0], *args[1],
                      types[1]);
        return Type::error();
      }
      return Type::tensor(element, out);
    }
    // Scalars: the type of the side that is not a number literal.
    return isLiteralNumber(*args[0]) ? types[1] : types[0];
  }
  if (name == "len") {
    if (!bind({{"x", false}}))
      return Type::error();
    if (types[0].kind == Type::List)
      return intT;
    if (types[0].kind != Type::Tensor || types[0].unranked ||
        types[0].rank() == 0)
      return argError(0, "a tensor or list");
    dims[&call] = types[0].dims[0];
    return intT;
  }
  if (name == "merge_layers") {
    if (!bind({{"kv", false}, {"from", true}, {"t", true}, {"gamma", true}}))
      return Type::error();
    if (!isFloatTensor(types[0]) || types[0].unranked || types[0].rank() != 4)
      return argError(0, "a KV cache f32[L, 2, T, D]");
    if (!wants(1, intT))
      return argError(1, "the first merged layer (an int)");
    if (!wants(2, f32T))
      return argError(2, "the interpolation t (an f32 in [0, 1])");
    if (!wants(3, f32T))
      return argError(3, "the retention threshold gamma (an f32)");
    return Type::of(Type::Cache);
  }
  if (name == "self_consistency") {
    if (!bind({{"marginal", false},
               {"conditional", false},
               {"x", false},
               {"orders", true},
               {"seed", true}}))
      return Type::error();
    if (types[0].kind != Type::Model)
      return argError(0, "the marginal network (a model)");
    if (types[1].kind != Type::Model)
      return argError(1, "the conditional network (a model)");
    if (types[2].kind != Type::Tensor || types[2].unranked ||
        types[2].rank() != 2)
      return argError(2, "a batch of samples (a rank-2 tensor)");
    if (!wants(3, intT))
      return argError(3, "the number of orders (an int)");
    if (!wants(4, intT))
      return argError(4, "the seed of the random orders (an int)");
    return Type::tensor(Scalar::F32, {types[2].dims[0]});
  }
  if (name == "conditional_nll") {
    if (!bind({{"conditional", false}, {"x", false}, {"seed", true}}))
      return Type::error();
    if (types[0].kind != Type::Model)
      return argError(0, "the conditional network (a model)");
    if (types[1].kind != Type::Tensor || types[1].unranked ||
        types[1].rank() != 2)
      return argError(1, "a batch of samples (a rank-2 tensor)");
    if (!wants(2, intT))
      return argError(2, "the seed of the random orders (an int)");
    return Type::tensor(Scalar::F32, {types[1].dims[0]});
  }
  r.error(call.range, "`" + name + "` is not callable here");
  return Type::error();
}

void Sema::checkRecursion() {
  // Depth-first search; a back edge closes a cycle of calls.
  std::map<const FnDecl *, int> state; // 1: on the stack, 2: done
  std::vector<const FnDecl *> stack;
  std::set<const FnDecl *> reported;
  std::function<void(const FnDecl *)> visit = [&](const FnDecl *fn) {
    state[fn] = 1;
    stack.push_back(fn);
    for (auto &[callee, range] : callEdges[fn]) {
      if (state[callee] == 1) {
        if (!reported.insert(callee).second)
          continue;
        std::string chain;
        bool on = false;
        for (const FnDecl *f : stack) {
          on |= f == callee;
          if (on)
            chain += f->name + " -> ";
        }
        r.error(range, "`" + callee->name + "` calls itself (" + chain +
                           callee->name +
                           "); functions are inlined, so they "
                           "cannot recurse");
      } else if (state[callee] == 0) {
        visit(callee);
      }
    }
    stack.pop_back();
    state[fn] = 2;
  };
  // In source order, so that the same cycle is always reported the same way.
  for (auto &m : program.modules) {
    for (const auto &fn : m->functions)
      if (state[fn.get()] == 0)
        visit(fn.get());
    for (const auto &model : m->models)
      for (const auto &fn : model->methods)
        if (state[fn.get()] == 0)
          visit(fn.get());
  }
}

void Sema::run() {
  // Declarations first, so that uses may precede definitions (except for
  // top-level `let`s, which run in order).
  for (auto &m : program.modules)
    collect(*m);
  // A module is loaded before the modules it uses: check those first, so
  // that its globals can read theirs.
  for (auto it = program.modules.rbegin(); it != program.modules.rend(); ++it) {
    currentModule = it->get();
    locals.clear();
    for (const ParamDecl &p : (*it)->params)
      checkParam(p);
    for (const StmtPtr &g : (*it)->globals)
      checkStmt(*g, false);
  }
  for (auto &m : program.modules) {
    for (const auto &model : m->models)
      checkModel(*model);
    for (const auto &opt : m->optimizers)
      checkOptimizer(*opt);
    for (const auto &fn : m->functions) {
      currentModule = m.get();
      locals.clear();
      checkFnBody(*fn);
    }
    for (const auto &pipeline : m->pipelines) {
      currentModule = m.get();
      locals.clear();
      inPipeline = true;
      checkBlock(pipeline->body);
      inPipeline = false;
    }
    currentModule = m.get();
    locals.clear();
    std::set<std::string> scheduled;
    for (const auto &schedule : m->schedules) {
      if (!scheduled.insert(schedule->name).second)
        r.error(schedule->nameRange,
                "pipeline `" + schedule->name + "` has more than one schedule");
      checkSchedule(*schedule, *m);
    }
  }
  checkRecursion();
}

} // namespace

bool checkProgram(Program &program, Reporter &reporter) {
  unsigned before = reporter.errorCount();
  Sema(program, reporter).run();
  return reporter.errorCount() == before;
}

} // namespace sluice::lang
