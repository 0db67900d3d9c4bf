// RUN: not sluice check %s 2>&1 | FileCheck %s
fn f(x: f32[B, 4]) -> f32[B, 8] {
  return x
  // CHECK: sema-return.sl:[[@LINE-1]]:10: error: `f` returns f32[B, 4], but its declared result is f32[B, 8]
  // CHECK: sema-return.sl:[[@LINE-3]]:23: note: the declared result
}
fn g() -> int {
// CHECK: sema-return.sl:[[@LINE-1]]:4: error: function `g` returns int but does not end with `return`
  let a = 1
}
fn h() -> int {
  return 1
  // CHECK: sema-return.sl:[[@LINE-1]]:3: error: `return` must be the last statement of its function (functions are inlined; write the rest as `if ... else`)
  let b = 2
}
fn k() {
  return 3
  // CHECK: sema-return.sl:[[@LINE-1]]:10: error: function `k` declares no result (add `-> int`)
}
pipeline p {
  return
  // CHECK: sema-return.sl:[[@LINE-1]]:3: error: `return` outside a function
}
