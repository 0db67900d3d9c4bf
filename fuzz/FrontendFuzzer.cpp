//===- FrontendFuzzer.cpp - libFuzzer target over the front end -----------===//
//
// Lexes, parses and checks each input as a main `.sl` program (no file
// access, diagnostics discarded). Any crash, hang, assertion, address or
// undefined-behaviour error is a bug in the front end; see fuzz/README.md.
//
//===----------------------------------------------------------------------===//

#include "sluice/Language/Frontend.h"

#include <cstddef>
#include <cstdint>

// Real programs are a few KiB; beyond this the fuzzer only spends its time on
// long buffers, not on new behaviour.
static constexpr size_t kMaxInput = 64 * 1024;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > kMaxInput)
    return -1; // not added to the corpus
  sluice::lang::checkSourceForFuzzing(
      llvm::StringRef(reinterpret_cast<const char *>(data), size));
  return 0;
}
