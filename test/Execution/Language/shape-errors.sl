// Sizes sema sees as `?` or as a name meet at run time: a mismatch stops the
// program with the place and both sizes, never a read out of bounds.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s --check-prefix=OK
// OK: s: 24
// OK-NEXT: l: 4
// OK-NEXT: mm: 24
// An annotated size that does not hold: `let v: f32[n]` with n from a flag.
// RUN: not %t --n 2 2>&1 | FileCheck %s --check-prefix=ADD
// ADD: sluice: error: {{.*}}shape-errors.sl:25:14: sizes do not match in `+`: 4 and 2
// RUN: not %t --n 5 2>&1 | FileCheck %s --check-prefix=ADD5
// ADD5: sluice: error: {{.*}}shape-errors.sl:25:14: sizes do not match in `+`: 4 and 5
// RUN: not %t --n 4 --m 3 2>&1 | FileCheck %s --check-prefix=LET
// LET: sluice: error: {{.*}}shape-errors.sl:26:3: sizes do not match in `u: f32[m]` (dimension 0): 2 and 3
// RUN: not %t --n 4 --m 2 --k 5 2>&1 | FileCheck %s --check-prefix=MATMUL
// MATMUL: sluice: error: {{.*}}shape-errors.sl:30:15: sizes do not match in `@`: 4 and 5
param n: int = 4
param m: int = 2
param k: int = 4

pipeline p {
  let a: f32[3, 4] = ones()
  let v: f32[n] = ones()
  let w: f32[?] = v
  log s: sum(a + w)
  let u: f32[m] = [1.0, 2.0]
  log l: len(u) * 2
  let b0: f32[k, 2] = ones()
  let b: f32[?, 2] = b0
  log mm: sum(a @ b)
}
