// A size named by a `let` computed from others (`h = k * 2`), which sema
// treats as `?`, still sizes a creation and is checked against a value.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// CHECK: lz: 6
// CHECK-NEXT: lv: 6
// CHECK-NEXT: le: 6
// RUN: not %t --extra 2 2>&1 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: sluice: error: {{.*}}computed-sizes.sl:20:3: sizes do not match in `e: f32[h]` (dimension 0): 5 and 6
param k: int = 3
param extra: int = 3
pipeline p {
  let h = k * 2
  let z: f32[h] = zeros()
  log lz: len(z)
  var v: f32[h] = ones()
  log lv: len(v)
  let a: f32[k] = ones()
  let b: f32[extra] = ones()
  let e: f32[h] = concat(a, b)
  log le: len(e)
}
