// A size an annotation fixes, given a value whose size is only known when
// the program runs, is checked there: for `let`, `var` and assignment. A
// cast alone would read past the smaller tensor.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// CHECK: lb: 6
// CHECK-NEXT: sz: 12
// RUN: not %t --n 2 2>&1 | FileCheck %s --check-prefix=LET
// LET: sluice: error: {{.*}}declared-sizes.sl:20:3: sizes do not match in `b: f32[6]` (dimension 0): 2 and 6
// RUN: not %t --k 2 2>&1 | FileCheck %s --check-prefix=ASSIGN
// ASSIGN: sluice: error: {{.*}}declared-sizes.sl:23:3: sizes do not match in `z = ...` (dimension 0): 2 and 6
param n: int = 6
param k: int = 6

pipeline p {
  let v: f32[n] = ones()
  let w: f32[?] = v * 2.0
  let u: f32[k] = ones()
  let t: f32[?] = u * 2.0
  let b: f32[6] = w
  log lb: len(b)
  var z: f32[6] = zeros()
  z = t
  log sz: sum(z)
}
