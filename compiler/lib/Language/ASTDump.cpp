//===- ASTDump.cpp - print the syntax tree --------------------------------===//
//
// `sluice emit --stage=ast`: one node per line, indented by depth, with the
// line:column where the node starts.
//
//===----------------------------------------------------------------------===//

#include "sluice/Language/AST.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/SourceMgr.h"

namespace sluice::lang {
namespace {

class Dumper {
public:
  Dumper(const llvm::SourceMgr &mgr, llvm::raw_ostream &os)
      : mgr(mgr), os(os) {}

  void module(const Module &m) {
    os << "Module " << m.filename << "\n";
    ++depth;
    for (const UseDecl &u : m.uses)
      line("Use " + u.path, u.range);
    for (const ParamDecl &p : m.params)
      param("Param", p);
    for (const StmtPtr &g : m.globals)
      stmt(*g);
    for (const auto &fn : m.functions)
      function(*fn);
    for (const auto &model : m.models) {
      line("Model " + model->name, model->range);
      ++depth;
      for (const ParamDecl &p : model->ctorParams)
        param("CtorParam", p);
      for (const MemberDecl &member : model->members)
        memberDecl("Member", member);
      for (const auto &fn : model->methods)
        function(*fn);
      --depth;
    }
    for (const auto &opt : m.optimizers) {
      line("Optimizer " + opt->name, opt->range);
      ++depth;
      for (const ParamDecl &p : opt->ctorParams)
        param("CtorParam", p);
      for (const MemberDecl &s : opt->states)
        memberDecl("State", s);
      function(*opt->update);
      --depth;
    }
    for (const auto &p : m.pipelines) {
      line("Pipeline " + p->name, p->range);
      block(p->body);
    }
    for (const auto &s : m.schedules) {
      line("Schedule " + s->name, s->range);
      ++depth;
      for (const Directive &d : s->directives) {
        switch (d.kind) {
        case Directive::Place:
          line("Place in " + d.placement, d.range);
          ++depth;
          expr(*d.target);
          --depth;
          break;
        case Directive::Overlap:
          line("OverlapGather depth=" + std::to_string(d.depth), d.range);
          break;
        case Directive::OverlapSample:
          line("OverlapSample depth=" + std::to_string(d.depth), d.range);
          break;
        case Directive::SortIndices:
          line("SortGatherIndices", d.range);
          break;
        }
      }
      --depth;
    }
    --depth;
  }

private:
  void line(const std::string &text, llvm::SMRange range) {
    os.indent(depth * 2) << text;
    if (range.Start.isValid()) {
      auto [l, c] = mgr.getLineAndColumn(range.Start);
      os << " <" << l << ":" << c << ">";
    }
    os << "\n";
  }
  std::string typeText(const TypeExpr *t) {
    if (!t)
      return "";
    switch (t->kind) {
    case TypeExpr::Named:
      return t->name;
    case TypeExpr::List:
      return "[" + typeText(t->element.get()) + "]";
    case TypeExpr::Table:
      return "table<" + typeText(t->element.get()) + ">";
    case TypeExpr::Tensor: {
      std::string s = t->name + "[";
      if (t->unranked)
        s += "*";
      for (size_t i = 0; i < t->dims.size(); ++i) {
        const DimExpr &d = t->dims[i];
        s += (i ? ", " : "") + (d.kind == DimExpr::Static
                                    ? std::to_string(d.value)
                                : d.kind == DimExpr::Dynamic ? std::string("?")
                                                             : d.symbol);
      }
      return s + "]";
    }
    }
    return "";
  }
  void param(const char *kind, const ParamDecl &p) {
    line(std::string(kind) + " " + p.name +
             (p.type ? ": " + typeText(p.type.get()) : ""),
         p.range);
    if (p.defaultValue) {
      ++depth;
      expr(*p.defaultValue);
      --depth;
    }
  }
  void memberDecl(const char *kind, const MemberDecl &m) {
    line(std::string(kind) + " " + m.name +
             (m.type ? ": " + typeText(m.type.get()) : ""),
         m.range);
    ++depth;
    expr(*m.init);
    --depth;
  }
  void function(const FnDecl &fn) {
    std::string sig = "Fn " + fn.name + "(";
    bool first = true;
    if (fn.hasSelf) {
      sig += "self";
      first = false;
    }
    for (const ParamDecl &p : fn.params) {
      sig += (first ? "" : ", ") + p.name + ": " + typeText(p.type.get());
      first = false;
    }
    sig += ")";
    if (fn.result)
      sig += " -> " + typeText(fn.result.get());
    line(sig, fn.range);
    block(fn.body);
  }
  void block(const std::vector<StmtPtr> &body) {
    ++depth;
    for (const StmtPtr &s : body)
      stmt(*s);
    --depth;
  }
  void stmt(const Stmt &s) {
    switch (s.kind) {
    case StmtKind::Let:
    case StmtKind::Var:
      line(std::string(s.kind == StmtKind::Let ? "Let " : "Var ") + s.name +
               (s.type ? ": " + typeText(s.type.get()) : ""),
           s.range);
      ++depth;
      expr(*s.value);
      --depth;
      return;
    case StmtKind::Assign:
      line("Assign", s.range);
      ++depth;
      expr(*s.target);
      expr(*s.value);
      --depth;
      return;
    case StmtKind::Expr:
      line("ExprStmt", s.range);
      ++depth;
      expr(*s.value);
      --depth;
      return;
    case StmtKind::Return:
      line("Return", s.range);
      if (s.value) {
        ++depth;
        expr(*s.value);
        --depth;
      }
      return;
    case StmtKind::For:
      line("For " + s.name +
               (s.selectHardest ? " select hardest by " + s.byName : ""),
           s.range);
      ++depth;
      expr(*s.value);
      for (const Arg &a : s.selectArgs)
        arg(a);
      --depth;
      block(s.body);
      return;
    case StmtKind::If:
      line("If", s.range);
      ++depth;
      expr(*s.value);
      --depth;
      block(s.body);
      if (!s.elseBody.empty()) {
        line("Else", {});
        block(s.elseBody);
      }
      return;
    case StmtKind::Log:
      line("Log" + (s.name.empty() ? "" : " " + s.name), s.range);
      ++depth;
      expr(*s.value);
      --depth;
      return;
    }
  }
  void arg(const Arg &a) {
    if (a.name.empty()) {
      expr(*a.value);
      return;
    }
    line("NamedArg " + a.name, a.nameRange);
    ++depth;
    expr(*a.value);
    --depth;
  }
  void expr(const Expr &e) {
    switch (e.kind) {
    case ExprKind::Int:
      line("Int " + std::to_string(e.intValue), e.range);
      return;
    case ExprKind::Float: {
      std::string text;
      llvm::raw_string_ostream(text) << llvm::format("%g", e.floatValue);
      line("Float " + text, e.range);
      return;
    }
    case ExprKind::String:
      line("String \"" + e.text + "\"", e.range);
      return;
    case ExprKind::Bool:
      line(e.boolValue ? "Bool true" : "Bool false", e.range);
      return;
    case ExprKind::Name:
      line("Name " + e.text, e.range);
      return;
    case ExprKind::Self:
      line("Self", e.range);
      return;
    case ExprKind::Member:
      line("Member ." + e.text, e.range);
      break;
    case ExprKind::Call:
      line("Call", e.range);
      break;
    case ExprKind::Index:
      line("Index", e.range);
      break;
    case ExprKind::Unary:
      line("Unary " + spelling(e.op).str(), e.range);
      break;
    case ExprKind::Binary:
      line("Binary " + spelling(e.op).str(), e.range);
      break;
    case ExprKind::List:
      line("List", e.range);
      break;
    case ExprKind::Range:
      line("Range", e.range);
      break;
    }
    ++depth;
    for (const ExprPtr &o : e.operands)
      expr(*o);
    for (const Arg &a : e.args)
      arg(a);
    --depth;
  }

  const llvm::SourceMgr &mgr;
  llvm::raw_ostream &os;
  unsigned depth = 0;
};

} // namespace

void dumpModule(const Module &module, const llvm::SourceMgr &sourceMgr,
                llvm::raw_ostream &os) {
  Dumper(sourceMgr, os).module(module);
}

} // namespace sluice::lang
