// argmax of rows with no columns has no answer: a run-time error where the
// width comes from a flag (a compile-time one where it is 0 in the type).
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// CHECK: picked: 2
// RUN: not %t --width 0 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: sluice: error: {{.*}}argmax-empty.sl:11:19: `argmax` of a tensor whose last dimension is empty: there is no largest value
param width: int = 3
pipeline p {
  let x: f32[2, width] = ones()
  log picked: len(argmax(x))
}
