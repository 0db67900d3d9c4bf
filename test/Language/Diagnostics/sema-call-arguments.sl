// RUN: not sluice check %s 2>&1 | FileCheck %s
fn scale(x: f32, factor: f32 = 2.0) -> f32 {
  return x * factor
}
pipeline p {
  let a = scale()
  // CHECK: sema-call-arguments.sl:[[@LINE-1]]:11: error: missing argument `x` of `scale`
  // CHECK: sema-call-arguments.sl:[[@LINE-6]]:10: note: declared here
  let b = scale(1.0, 2.0, 3.0)
  // CHECK: sema-call-arguments.sl:[[@LINE-1]]:27: error: too many arguments to `scale`: it takes 2 arguments
  let c = scale(1.0, facter: 3.0)
  // CHECK: sema-call-arguments.sl:[[@LINE-1]]:22: error: `scale` has no parameter `facter`
  // CHECK: note: did you mean `factor`?
  let d = scale(1.0, x: 2.0)
  // CHECK: sema-call-arguments.sl:[[@LINE-1]]:22: error: argument `x` is given twice
}
