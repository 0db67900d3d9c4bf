//===- Print.cpp - printing for compiled programs -------------------------===//

#include "sluice/Runtime/Runtime.h"

#include <cinttypes>
#include <cstdio>

extern "C" void sluice_rt_print_i64(int64_t value) {
  std::printf("%" PRId64 " ", value);
}

extern "C" void sluice_rt_print_f64(double value) {
  // Enough digits to read the same double back.
  std::printf("%.17g ", value);
}

extern "C" void sluice_rt_print_newline() { std::printf("\n"); }
