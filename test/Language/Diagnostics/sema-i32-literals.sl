// An integer literal given to an i32 must fit it: a value, a list element,
// an argument. Its bounds themselves are fine.
// RUN: not sluice check %s 2>&1 | FileCheck %s
// RUN: not sluice check %s 2>&1 | FileCheck %s --check-prefix=FITS
fn twice(x: i32) -> i32 { return x * 2 }
pipeline p {
  let k: i32 = 3000000000
  // CHECK: sema-i32-literals.sl:[[@LINE-1]]:16: error: integer literal 3000000000 does not fit in i32 (from -2147483648 to 2147483647)
  let z: i32[2] = [1, -2147483649]
  // CHECK: sema-i32-literals.sl:[[@LINE-1]]:23: error: integer literal -2147483649 does not fit in i32
  log twice(4294967296)
  // CHECK: sema-i32-literals.sl:[[@LINE-1]]:13: error: integer literal 4294967296 does not fit in i32
  let low: i32 = -2147483648
  // FITS-NOT: sema-i32-literals.sl:[[@LINE-1]]
  let high: i32[1] = [2147483647]
  // FITS-NOT: sema-i32-literals.sl:[[@LINE-1]]
  let wide: int = 3000000000
  // FITS-NOT: sema-i32-literals.sl:[[@LINE-1]]
}
