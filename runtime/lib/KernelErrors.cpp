//===- KernelErrors.cpp - run-time checks that fail inside GPU kernels ----===//
//
// A generated loop whose run-time check reports through the runtime (a label
// out of range) would have to stay on the host, with the buffers it reads
// moving to host memory and back each step. As a kernel, a failing check
// records the call it would make in a slot of managed memory instead, and
// the host makes the call right after the kernel: the same message, at the
// same place. A slot no kernel wrote stays in host memory, so the check
// after each kernel costs one read.
//
//===----------------------------------------------------------------------===//

#include "sluice/Runtime/Program.h"
#include "sluice/Runtime/UnifiedMemory.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace {

constexpr int kSlotWords = 6;
volatile int64_t *slot = nullptr;
std::once_flag slotAllocated;

} // namespace

extern "C" intptr_t sluice_rt_kernel_error_slot() {
  std::call_once(slotAllocated, [] {
    auto *words = static_cast<int64_t *>(
        _mlir_memref_to_llvm_aligned_alloc(64, kSlotWords * sizeof(int64_t)));
    if (!words) {
      std::fprintf(stderr, "sluice: error: out of memory for the GPU "
                           "kernels' error slot\n");
      std::exit(1);
    }
    for (int i = 0; i < kSlotWords; ++i)
      words[i] = 0;
    slot = words;
  });
  return reinterpret_cast<intptr_t>(const_cast<int64_t *>(slot));
}

extern "C" void sluice_rt_check_kernel_errors() {
  if (!slot || slot[0] == 0)
    return;
  // Both calls stop the program.
  int64_t kind = slot[0];
  if (kind == 1)
    sluice_rt_label_error(intptr_t(slot[1]), slot[2], slot[3]);
  else if (kind == 2)
    sluice_rt_check_error(intptr_t(slot[1]), intptr_t(slot[2]), slot[3],
                          slot[4]);
  std::fprintf(stderr,
               "sluice: internal error: a GPU kernel reported a failed check "
               "of unknown kind %lld\n",
               static_cast<long long>(kind));
  std::exit(70);
}
