// RUN: not sluice check %s 2>&1 | FileCheck %s
fn f(x: f23) -> f32 {
// CHECK: sema-unknown-type.sl:[[@LINE-1]]:9: error: unknown type `f23`
// CHECK: note: did you mean `f32`?
  return 1.0
}
fn g(x: str[4]) -> f32 {
// CHECK: sema-unknown-type.sl:[[@LINE-1]]:9: error: `str` is not an element type; expected bool, int, i32, f32 or f64
  return 1.0
}
