// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  var n = 3
  let x: f32[n] = zeros()
  // CHECK: sema-var-dimension.sl:[[@LINE-1]]:14: error: dimension `n` is a `var`; a size cannot change, so name a `let` or a parameter
  let k = 4
  let y: f32[k] = zeros()
  log sum(y)
}
