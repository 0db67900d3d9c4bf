// A generic dimension binds at the first argument and must agree after.
// RUN: not sluice check %s 2>&1 | FileCheck %s
fn dot(a: f32[N], b: f32[N]) -> f32 {
  return sum(a * b)
}
fn take(x: f32[4, 4]) -> f32 {
  return sum(x)
}
pipeline p {
  let u: f32[3] = zeros()
  let v: f32[5] = zeros()
  log dot(u, v)
  // CHECK: sema-argument-type.sl:[[@LINE-1]]:14: error: argument `b` of `dot` is f32[5], but the parameter is f32[3]
  // CHECK: sema-argument-type.sl:[[@LINE-11]]:19: note: declared here
  log take(u)
  // CHECK: sema-argument-type.sl:[[@LINE-1]]:12: error: argument `x` of `take` is f32[3], but the parameter is f32[4, 4]
}
