//===- Types.h - Sluice language types --------------------------*- C++ -*-===//
//
// The types sema assigns: scalars, shaped tensors whose dimensions are static,
// symbolic (`N`, `G.features.cols`: bound at run time, equal only to the same
// symbol) or dynamic (`?`: checked at run time), tables, lists, the data
// types (graphs, datasets, sampled blocks), and the compile-time kinds
// (models, optimizers, modules, functions).
//
//===----------------------------------------------------------------------===//

#ifndef SLUICE_LANGUAGE_TYPES_H
#define SLUICE_LANGUAGE_TYPES_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sluice::lang {

struct ModelDecl;
struct OptimizerDecl;
struct FnDecl;
struct Module;

struct Dim {
  enum Kind { Static, Dynamic, Symbol } kind = Dynamic;
  int64_t value = 0;
  std::string symbol;

  static Dim dynamic() { return {}; }
  static Dim of(int64_t v) { return {Static, v, ""}; }
  static Dim named(std::string s) { return {Symbol, 0, std::move(s)}; }
  bool operator==(const Dim &o) const {
    return kind == o.kind && value == o.value && symbol == o.symbol;
  }
  std::string str() const;
};

enum class Scalar { Bool, Int, I32, F32, F64 };
const char *scalarName(Scalar s);
bool isFloat(Scalar s);

/// A substitution of symbolic dimensions (a model's constructor parameters,
/// a generic function's dimension names).
using DimMap = std::map<std::string, Dim>;

struct Type {
  enum Kind {
    Error, // already reported; silences follow-on errors
    Void,
    Scalar,
    Str,
    Path,
    Tensor,
    List,
    Table,
    Graph,
    Dataset,
    Blocks,
    Block,
    Range,
    Batches,
    Cache,
    Model,
    Optimizer,
    ModelCtor,
    OptimizerCtor,
    ModuleNs,
    Function,
    Builtin,
    Pipeline,
  };
  Kind kind = Error;
  lang::Scalar scalar = lang::Scalar::F32;  // Scalar, Tensor, Table, List
  bool unranked = false;                    // Tensor: `f32[*]`
  std::vector<Dim> dims;                    // Tensor; Table: rows, then row
  const ModelDecl *model = nullptr;         // Model, ModelCtor
  std::shared_ptr<DimMap> bindings;         // Model: constructor dimensions
  const OptimizerDecl *optimizer = nullptr; // Optimizer, OptimizerCtor
  const FnDecl *fn = nullptr;               // Function
  const Module *module = nullptr;           // ModuleNs
  std::string builtin;                      // Builtin

  static Type error() { return {}; }
  static Type voidType() {
    Type t;
    t.kind = Void;
    return t;
  }
  static Type scalarOf(lang::Scalar s) {
    Type t;
    t.kind = Scalar;
    t.scalar = s;
    return t;
  }
  static Type tensor(lang::Scalar s, std::vector<Dim> dims) {
    Type t;
    t.kind = Tensor;
    t.scalar = s;
    t.dims = std::move(dims);
    return t;
  }
  static Type of(Kind k) {
    Type t;
    t.kind = k;
    return t;
  }

  bool isError() const { return kind == Error; }
  bool isScalar(lang::Scalar s) const { return kind == Scalar && scalar == s; }
  bool isInt() const { return isScalar(lang::Scalar::Int); }
  bool isFloatScalar() const { return kind == Scalar && isFloat(scalar); }
  bool isNumeric() const {
    return kind == Scalar && scalar != lang::Scalar::Bool;
  }
  bool isIndexTensor() const {
    return kind == Tensor && !unranked && dims.size() == 1 &&
           (scalar == lang::Scalar::Int || scalar == lang::Scalar::I32);
  }
  unsigned rank() const { return dims.size(); }
  std::string str() const;
};

/// Replaces the symbols of `map` in every dimension of `type` (and in the
/// bindings of nested model types).
Type substitute(const Type &type, const DimMap &map);

} // namespace sluice::lang

#endif // SLUICE_LANGUAGE_TYPES_H
