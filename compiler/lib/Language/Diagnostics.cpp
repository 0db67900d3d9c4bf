//===- Diagnostics.cpp - front-end diagnostics ----------------------------===//

#include "sluice/Language/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace sluice::lang {

static std::pair<unsigned, unsigned> lineCol(const llvm::SourceMgr &mgr,
                                             llvm::SMLoc loc) {
  return mgr.getLineAndColumn(loc);
}

static StringAttr bufferName(const llvm::SourceMgr &mgr, llvm::SMLoc loc,
                             MLIRContext *context) {
  unsigned id = mgr.FindBufferContainingLoc(loc);
  llvm::StringRef name =
      id ? mgr.getMemoryBuffer(id)->getBufferIdentifier() : "<unknown>";
  return StringAttr::get(context, name);
}

Location Reporter::rangeLoc(llvm::SMRange range) const {
  if (!range.Start.isValid())
    return UnknownLoc::get(context);
  auto [line, col] = lineCol(sourceMgr, range.Start);
  auto [endLine, endCol] = range.End.isValid()
                               ? lineCol(sourceMgr, range.End)
                               : std::pair<unsigned, unsigned>(line, col);
  return FileLineColRange::get(bufferName(sourceMgr, range.Start, context),
                               line, col, endLine, endCol);
}

Location Reporter::pointLoc(llvm::SMRange range) const {
  if (!range.Start.isValid())
    return UnknownLoc::get(context);
  auto [line, col] = lineCol(sourceMgr, range.Start);
  return FileLineColLoc::get(bufferName(sourceMgr, range.Start, context), line,
                             col);
}

InFlightDiagnostic Reporter::error(llvm::SMRange range,
                                   const llvm::Twine &msg) {
  ++errors;
  return mlir::emitError(rangeLoc(range), msg);
}

InFlightDiagnostic Reporter::warning(llvm::SMRange range,
                                     const llvm::Twine &msg) {
  return mlir::emitWarning(rangeLoc(range), msg);
}

std::string closestName(llvm::StringRef name,
                        const std::vector<std::string> &candidates) {
  std::string best;
  unsigned bestDistance = ~0u;
  if (name.size() < 3)
    return best; // `T` for `L` helps nobody
  for (const std::string &candidate : candidates) {
    if (candidate == name)
      continue;
    unsigned distance =
        llvm::StringRef(candidate).edit_distance(name, true, bestDistance);
    // Two swapped neighbours (`f23` for `f32`) are one slip of the fingers.
    if (candidate.size() == name.size() && distance == 2)
      for (size_t i = 0; i + 1 < name.size(); ++i)
        if (name[i] == candidate[i + 1] && name[i + 1] == candidate[i] &&
            name.substr(0, i) == llvm::StringRef(candidate).substr(0, i) &&
            name.substr(i + 2) == llvm::StringRef(candidate).substr(i + 2))
          distance = 1;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  // Typos: one edit for short names; two (a swapped pair) or a third of the
  // name for longer ones.
  unsigned limit =
      name.size() <= 3 ? 1 : std::max<unsigned>(2, name.size() / 3);
  return bestDistance <= limit ? best : std::string();
}

void Reporter::suggest(InFlightDiagnostic &diag, llvm::SMRange range,
                       llvm::StringRef name,
                       const std::vector<std::string> &candidates) const {
  std::string best = closestName(name, candidates);
  if (!best.empty())
    diag.attachNote(rangeLoc(range)) << "did you mean `" << best << "`?";
}

RangeDiagnosticHandler::RangeDiagnosticHandler(llvm::SourceMgr &sourceMgr,
                                               MLIRContext *ctx,
                                               llvm::raw_ostream &os)
    : ScopedDiagnosticHandler(ctx), sourceMgr(sourceMgr), os(os) {
  setHandler([this](Diagnostic &diag) { return handle(diag); });
}

bool RangeDiagnosticHandler::toRange(Location loc, llvm::SMRange &range) {
  auto fileLoc = llvm::dyn_cast<FileLineColRange>(loc);
  if (!fileLoc) {
    // Look through name and call-site wrappers to the first file location.
    if (auto named = llvm::dyn_cast<NameLoc>(loc))
      return toRange(named.getChildLoc(), range);
    if (auto fused = llvm::dyn_cast<FusedLoc>(loc)) {
      for (Location inner : fused.getLocations())
        if (toRange(inner, range))
          return true;
    }
    if (auto callSite = llvm::dyn_cast<CallSiteLoc>(loc))
      return toRange(callSite.getCallee(), range);
    return false;
  }
  for (unsigned id = 1, e = sourceMgr.getNumBuffers(); id <= e; ++id) {
    const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(id);
    if (buffer->getBufferIdentifier() != fileLoc.getFilename().getValue())
      continue;
    llvm::SMLoc start = sourceMgr.FindLocForLineAndColumn(
        id, fileLoc.getStartLine(), fileLoc.getStartColumn());
    if (!start.isValid())
      return false;
    llvm::SMLoc end = sourceMgr.FindLocForLineAndColumn(
        id, fileLoc.getEndLine(), fileLoc.getEndColumn());
    range = {start, end.isValid() ? end : start};
    return true;
  }
  return false;
}

void RangeDiagnosticHandler::print(Location loc, llvm::SourceMgr::DiagKind kind,
                                   const std::string &message) {
  llvm::SMRange range;
  if (!toRange(loc, range)) {
    os << "sluice: " << (kind == llvm::SourceMgr::DK_Note ? "note: " : "")
       << message << "\n";
    return;
  }
  std::vector<llvm::SMRange> ranges;
  if (range.End.getPointer() > range.Start.getPointer() + 1)
    ranges.push_back(range);
  std::vector<llvm::SMFixIt> fixits;
  llvm::StringRef text(message);
  if (kind == llvm::SourceMgr::DK_Note &&
      text.consume_front("did you mean `") && text.consume_back("`?") &&
      range.End.isValid())
    fixits.emplace_back(range, text);
  sourceMgr.PrintMessage(os, range.Start, kind, message, ranges, fixits);
}

LogicalResult RangeDiagnosticHandler::handle(Diagnostic &diag) {
  llvm::SMRange range;
  if (!toRange(diag.getLocation(), range))
    return failure(); // not ours: the source-manager handler prints it
  auto kindOf = [](DiagnosticSeverity severity) {
    switch (severity) {
    case DiagnosticSeverity::Error:
      return llvm::SourceMgr::DK_Error;
    case DiagnosticSeverity::Warning:
      return llvm::SourceMgr::DK_Warning;
    case DiagnosticSeverity::Note:
      return llvm::SourceMgr::DK_Note;
    case DiagnosticSeverity::Remark:
      return llvm::SourceMgr::DK_Remark;
    }
    return llvm::SourceMgr::DK_Error;
  };
  print(diag.getLocation(), kindOf(diag.getSeverity()), diag.str());
  // Code inlined from a call: show each call it came through.
  for (Location at = diag.getLocation();
       auto site = llvm::dyn_cast<CallSiteLoc>(at); at = site.getCaller()) {
    llvm::SMRange caller;
    if (toRange(site.getCaller(), caller))
      print(site.getCaller(), llvm::SourceMgr::DK_Note, "called from here");
  }
  for (Diagnostic &note : diag.getNotes())
    print(note.getLocation(), llvm::SourceMgr::DK_Note, note.str());
  os.flush();
  return success();
}

} // namespace sluice::lang
