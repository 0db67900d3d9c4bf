//===- Frontend.cpp - from a .sl file to sluice IR ------------------------===//

#include "sluice/Language/Frontend.h"
#include "sluice/Language/Parser.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <set>

using namespace llvm;

namespace sluice::lang {
namespace {

class Loader {
public:
  Loader(Reporter &reporter, const FrontendOptions &options, Program &program)
      : reporter(reporter), options(options), program(program) {}

  /// Parses buffer `id` into a new module and loads what it uses.
  Module *load(unsigned id, const std::string &name) {
    auto parsed = parseModule(id, reporter);
    parsed->name = name;
    Module *module = parsed.get();
    program.modules.push_back(std::move(parsed));
    loading.insert(name);
    for (UseDecl &use : module->uses)
      use.module = resolve(use, *module);
    loading.erase(name);
    return module;
  }

private:
  Module *resolve(UseDecl &use, const Module &from) {
    for (auto &m : program.modules)
      if (m->name == use.path && !loading.count(use.path))
        return m.get();
    if (loading.count(use.path)) {
      reporter.error(use.range, "module `" + use.path +
                                    "` uses itself (a "
                                    "cycle of `use`s)");
      return nullptr;
    }
    if (!options.allowFiles) {
      reporter.error(use.range, "modules cannot be loaded here");
      return nullptr;
    }
    std::string relative = use.path;
    std::replace(relative.begin(), relative.end(), '.', '/');
    relative += ".sl";
    std::vector<std::string> dirs;
    dirs.push_back(sys::path::parent_path(from.filename).str());
    for (const std::string &dir : options.includeDirs)
      dirs.push_back(dir);
    if (std::optional<std::string> env = sys::Process::GetEnv("SLUICE_PATH")) {
      SmallVector<StringRef> parts;
      StringRef(*env).split(parts, ':', -1, /*KeepEmpty=*/false);
      for (StringRef part : parts)
        dirs.push_back(part.str());
    }
    if (!options.stdlibDir.empty())
      dirs.push_back(options.stdlibDir);
    for (const std::string &dir : dirs) {
      SmallString<256> candidate(dir.empty() ? "." : dir);
      sys::path::append(candidate, relative);
      if (!sys::fs::is_regular_file(candidate))
        continue;
      auto buffer = MemoryBuffer::getFile(candidate);
      if (!buffer) {
        reporter.error(use.range, "cannot read module `" + use.path + "` at " +
                                      candidate + ": " +
                                      buffer.getError().message());
        return nullptr;
      }
      unsigned id = reporter.getSourceMgr().AddNewSourceBuffer(
          std::move(*buffer), SMLoc());
      return load(id, use.path);
    }
    std::vector<std::string> shown;
    for (const std::string &dir : dirs)
      shown.push_back(dir.empty() ? "." : dir);
    reporter.error(use.range, "cannot find module `" + use.path + "` (" +
                                  relative + " in: " + join(shown, ", ") + ")");
    return nullptr;
  }

  Reporter &reporter;
  const FrontendOptions &options;
  Program &program;
  std::set<std::string> loading;
};

} // namespace

std::unique_ptr<Program> loadProgram(unsigned mainBuffer, Reporter &reporter,
                                     const FrontendOptions &options) {
  auto program = std::make_unique<Program>();
  unsigned before = reporter.errorCount();
  Loader(reporter, options, *program).load(mainBuffer, "");
  // Check even after syntax errors: independent type errors are worth
  // reporting in the same run, and sema tolerates partial trees.
  checkProgram(*program, reporter);
  if (reporter.errorCount() != before)
    return nullptr;
  return program;
}

std::unique_ptr<Module> parseOnly(unsigned mainBuffer, Reporter &reporter) {
  unsigned before = reporter.errorCount();
  auto module = parseModule(mainBuffer, reporter);
  if (reporter.errorCount() != before)
    return nullptr;
  return module;
}

void checkSourceForFuzzing(StringRef source) {
  static mlir::MLIRContext *context = [] {
    auto *ctx = new mlir::MLIRContext(mlir::MLIRContext::Threading::DISABLED);
    ctx->getDiagEngine().registerHandler(
        [](mlir::Diagnostic &) { return mlir::success(); });
    return ctx;
  }();
  SourceMgr sourceMgr;
  unsigned id = sourceMgr.AddNewSourceBuffer(
      MemoryBuffer::getMemBufferCopy(source, "fuzz.sl"), SMLoc());
  Reporter reporter(sourceMgr, context);
  FrontendOptions options;
  options.allowFiles = false;
  auto program = loadProgram(id, reporter, options);
  (void)program;
}

} // namespace sluice::lang
