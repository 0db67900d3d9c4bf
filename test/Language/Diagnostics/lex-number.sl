// Lexing errors come before sema's, so the lines are checked in any order.
// RUN: not sluice check %s 2>&1 | FileCheck %s
// RUN: not sluice check %s 2>&1 | FileCheck %s --check-prefix=FITS
param huge: f32 = 1e39
// CHECK-DAG: lex-number.sl:[[@LINE-1]]:19: error: float literal 1e+39 is too large for f32 (at most about 3.4e38); use an f64 where it must be this large
param wide: f64 = 1e39
// FITS-NOT: lex-number.sl:[[@LINE-1]]
pipeline p {
  let a = 12ab
  // CHECK-DAG: lex-number.sl:[[@LINE-1]]:11: error: invalid suffix `ab` on number literal
  let b = 99999999999999999999
  // CHECK-DAG: lex-number.sl:[[@LINE-1]]:11: error: integer literal `99999999999999999999` does not fit in 64 bits
  let c = 1e999
  // CHECK-DAG: lex-number.sl:[[@LINE-1]]:11: error: float literal `1e999` is too large for a 64-bit float
  let d = 3.4e38
  // FITS-NOT: lex-number.sl:[[@LINE-1]]
  let e = -5e38
  // CHECK-DAG: lex-number.sl:[[@LINE-1]]:12: error: float literal 5e+38 is too large for f32
}
