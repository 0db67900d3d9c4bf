// `concat` and `reshape` check their arguments and shapes where sema knows
// them.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
param n: int = 3
pipeline p {
  let a: f32[2, 3] = zeros()
  let b: f32[4] = zeros()
  let c: f32[5, 2] = zeros()
  let i: int[2, 3] = int(a)
  log s: sum(concat(a, b))
  // CHECK: sema-concat-reshape.sl:[[@LINE-1]]:24: error: `concat` expects a tensor of the same element type and rank as the first (f32[2, 3]); this is f32[4]
  log s: sum(concat(a, i))
  // CHECK: sema-concat-reshape.sl:[[@LINE-1]]:24: error: `concat` expects a tensor of the same element type and rank as the first (f32[2, 3]); this is int[2, 3]
  log s: sum(concat(a, a, axis: 2))
  // CHECK: sema-concat-reshape.sl:[[@LINE-1]]:33: error: `concat` expects an integer literal from 0 to 1 (the axis to join along); this is int
  log s: sum(concat(a, c))
  // CHECK: sema-concat-reshape.sl:[[@LINE-1]]:14: error: `concat` joins along axis 0; the other sizes must agree, but axis 1 is 3 and 2
  log s: sum(concat(1.0, a))
  // CHECK: sema-concat-reshape.sl:[[@LINE-1]]:21: error: `concat` expects a tensor; this is f32
  log s: sum(reshape(a, [4, 2]))
  // CHECK: sema-concat-reshape.sl:[[@LINE-1]]:14: error: `reshape` cannot make 6 elements (f32[2, 3]) into 8
  log s: sum(reshape(a, 6))
  // CHECK: sema-concat-reshape.sl:[[@LINE-1]]:25: error: `reshape` expects a list of sizes, such as `[n, 4]`; this is int
  log s: sum(reshape(a, [2.0, 3]))
  // CHECK: sema-concat-reshape.sl:[[@LINE-1]]:26: error: `reshape` sizes are integers; this is f32
  // Sizes known only at run time are checked there (Execution tests).
  log s: sum(reshape(a, [n, 2]))
  let joined: f32[4, 3] = concat(a, a)
  log s: sum(joined)
}
