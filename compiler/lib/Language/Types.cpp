//===- Types.cpp - Sluice language types ----------------------------------===//

#include "sluice/Language/Types.h"
#include "sluice/Language/AST.h"

namespace sluice::lang {

std::string Dim::str() const {
  switch (kind) {
  case Static:
    return std::to_string(value);
  case Dynamic:
    return "?";
  case Symbol:
    return symbol;
  }
  return "?";
}

const char *scalarName(Scalar s) {
  switch (s) {
  case Scalar::Bool:
    return "bool";
  case Scalar::Int:
    return "int";
  case Scalar::I32:
    return "i32";
  case Scalar::F32:
    return "f32";
  case Scalar::F64:
    return "f64";
  }
  return "?";
}

bool isFloat(Scalar s) { return s == Scalar::F32 || s == Scalar::F64; }

static std::string shape(const Type &t) {
  if (t.unranked)
    return "[*]";
  std::string s = "[";
  for (size_t i = 0; i < t.dims.size(); ++i)
    s += (i ? ", " : "") + t.dims[i].str();
  return s + "]";
}

std::string Type::str() const {
  switch (kind) {
  case Error:
    return "<error>";
  case Void:
    return "no value";
  case Scalar:
    return scalarName(scalar);
  case Str:
    return "str";
  case Path:
    return "path";
  case Tensor:
    return scalarName(scalar) + shape(*this);
  case List:
    return std::string("[") + scalarName(scalar) + "]";
  case Table:
    return std::string("table<") + scalarName(scalar) + shape(*this) + ">";
  case Graph:
    return "Graph";
  case Dataset:
    return "Dataset";
  case Blocks:
    return "Blocks";
  case Block:
    return "Block";
  case Range:
    return "range";
  case Batches:
    return "Batches";
  case Cache:
    return "Cache";
  case Model:
    return "model " + (model ? model->name : std::string("?"));
  case Optimizer:
    return "optimizer " + (optimizer ? optimizer->name : std::string("?"));
  case ModelCtor:
    return "model type " + (model ? model->name : std::string("?"));
  case OptimizerCtor:
    return "optimizer type " + (optimizer ? optimizer->name : std::string("?"));
  case ModuleNs:
    return "module";
  case Function:
    return "function";
  case Builtin:
    return "builtin function";
  case Pipeline:
    return "pipeline";
  }
  return "?";
}

Type substitute(const Type &type, const DimMap &map) {
  Type result = type;
  for (Dim &dim : result.dims)
    if (dim.kind == Dim::Symbol) {
      auto it = map.find(dim.symbol);
      if (it != map.end())
        dim = it->second;
    }
  if (result.bindings) {
    auto bindings = std::make_shared<DimMap>(*result.bindings);
    for (auto &[name, dim] : *bindings)
      if (dim.kind == Dim::Symbol) {
        auto it = map.find(dim.symbol);
        if (it != map.end())
          dim = it->second;
      }
    result.bindings = bindings;
  }
  return result;
}

} // namespace sluice::lang
