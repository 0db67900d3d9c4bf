// Sizes from flags that are each fine may multiply past 64-bit byte counts:
// that is an error at the tensor's creation, not an allocation of the
// wrapped size. reshape's sizes are not negative (two negative sizes could
// multiply to the right element count).
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// CHECK: w: 0
// CHECK-NEXT: r: 21
// 3037000500^2 is just past 2^63; 2^62 x 4 bytes wraps to 0.
// RUN: not %t --n 3037000500 --m 3037000500 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: not %t --n 4611686018427387904 --m 1 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: sluice: error: {{.*}}size-limits.sl:20:22: a `f32[n, m]` is too large: its size in bytes does not fit in 64 bits
// RUN: not %t --rows -2 --cols -3 2>&1 | FileCheck %s --check-prefix=RESHAPE
// RESHAPE: sluice: error: {{.*}}size-limits.sl:23:14: `reshape`: size -2 is negative
param n: int = 2
param m: int = 2
param rows: int = 2
param cols: int = 3
pipeline p {
  let w: f32[n, m] = zeros()
  log w: sum(w)
  let x: f32[6] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
  log r: sum(reshape(x, [rows, cols]))
}
