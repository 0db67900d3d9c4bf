// Run-time checks of generated code: what the hardware would trap on or read
// out of bounds stops the program with the place and the values.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s --check-prefix=OK
// OK: q: -3
// OK-NEXT: r: -1
// OK-NEXT: tq: 6
// OK-NEXT: at: 30
// OK-NEXT: last: 40
// OK-NEXT: listed: 20
// OK-NEXT: batches: 3
// OK-NEXT: picked: 2
// OK-NEXT: made: 3
// Integer division by a zero scalar, and the one quotient that overflows.
// RUN: not %t --d 0 2>&1 | FileCheck %s --check-prefix=DIV0
// DIV0: sluice: error: {{.*}}run-time-checks.sl:59:10: integer division by zero: -7 / 0
// RUN: not %t --a -9223372036854775807 --d -1 --a2 1 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// OVERFLOW: sluice: error: {{.*}}run-time-checks.sl:59:10: integer division overflows: -9223372036854775808 / -1
// `%` too.
// RUN: not %t --m 0 2>&1 | FileCheck %s --check-prefix=REM0
// REM0: sluice: error: {{.*}}run-time-checks.sl:60:10: integer division by zero: -7 % 0
// Tensors: how many divisors are zero.
// RUN: not %t --e 0 2>&1 | FileCheck %s --check-prefix=TDIV0
// TDIV0: sluice: error: {{.*}}run-time-checks.sl:63:15: integer division by zero: 2 of the divisors of `/` are 0
// An index outside its axis, from either end.
// RUN: not %t --i 4 2>&1 | FileCheck %s --check-prefix=INDEX
// INDEX: sluice: error: {{.*}}run-time-checks.sl:65:13: index 4 is outside [0, 4)
// RUN: not %t --i -1 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: sluice: error: {{.*}}run-time-checks.sl:65:13: index -1 is outside [0, 4)
// A list parameter's index.
// RUN: not %t --j 3 2>&1 | FileCheck %s --check-prefix=LIST
// LIST: sluice: error: {{.*}}run-time-checks.sl:67:21: index 3 is outside [0, 3)
// A batch size that is not positive, before any batch is formed.
// RUN: not %t --batch 0 2>&1 | FileCheck %s --check-prefix=BATCH0
// BATCH0: sluice: error: {{.*}}run-time-checks.sl:70:12: batch size 0 is not positive
// RUN: not %t --batch -2 2>&1 | FileCheck %s --check-prefix=BATCHNEG
// BATCHNEG: sluice: error: {{.*}}run-time-checks.sl:70:12: batch size -2 is not positive
// RUN: not %t --rows 3 2>&1 | FileCheck %s --check-prefix=TAKE
// RUN: not %t --length -4 2>&1 | FileCheck %s --check-prefix=NEGSIZE
// NEGSIZE: sluice: error: {{.*}}run-time-checks.sl:81:27: size `length` of a `f32[length]` is -4, which is negative
// 2^48 floats, a PiB: past any machine's address space.
// RUN: not %t --length 281474976710656 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: sluice: error: {{.*}}run-time-checks.sl:81:27: out of memory: cannot allocate 1125899906842{{[0-9]+}} bytes (1048576.{{[0-9]}} GiB)
// TAKE: sluice: error: {{.*}}run-time-checks.sl:79:19: sizes do not match in `take_along` (rows of x and labels): 3 and 2
param a: int = -7
param a2: int = 0
param d: int = 2
param m: int = 3
param e: int = 1
param i: int = 2
param j: int = 1
param batch: int = 2
param sizes: [int] = [10, 20, 30]
param rows: int = 2
param length: int = 3

pipeline p {
  let n = a - a2
  log q: n / d
  log r: n % m
  let x: int[3] = [2, 4, 6]
  let y: int[3] = [e, e, 1]
  log tq: sum(x / y) - 6
  let v: f32[4] = [10.0, 20.0, 30.0, 40.0]
  log at: v[i]
  log last: v[3]
  log listed: sizes[j]
  let ids: int[5] = [0, 1, 2, 3, 4]
  var count = 0
  for s in batches(ids, batch) {
    count = count + 1
  }
  log batches: count
  // One label per row for take_along (and so nn.cross_entropy).
  let xs: f32[rows, 3] = ones()
  let xx: f32[?, 3] = xs
  let labels: int[2] = [0, 2]
  let ll: int[?] = labels
  log picked: sum(take_along(xx, ll))
  // Sizes from flags: negative is an error; too large, out of memory.
  let made: f32[length] = ones()
  log made: sum(made)
}
