// Functions are inlined: no recursion, `return` only at the end of the body,
// and every result dimension comes from a parameter.
// RUN: not sluice check %s 2>&1 | FileCheck %s
// (Recursion is found after every body is checked, so the order differs.)
fn countdown(x: int) -> int {
  return countdown(x - 1)
  // CHECK-DAG: sema-functions.sl:[[@LINE-1]]:10: error: `countdown` calls itself (countdown -> countdown); functions are inlined, so they cannot recurse
}
fn ping(x: int) -> int {
  return pong(x)
}
fn pong(x: int) -> int {
  return ping(x)
  // CHECK-DAG: sema-functions.sl:[[@LINE-1]]:10: error: `ping` calls itself (ping -> pong -> ping); functions are inlined, so they cannot recurse
}
fn sign(x: int) -> int {
  if x > 0 {
    return 1
    // CHECK-DAG: sema-functions.sl:[[@LINE-1]]:5: error: `return` must be the last statement of its function (functions are inlined; write the rest as `if ... else`)
  }
  return 0
}
fn pad(x: f32[N]) -> f32[M] {
// CHECK-DAG: sema-functions.sl:[[@LINE-1]]:26: error: dimension `M` of the result is not the size of any parameter; name a parameter's dimension or write `?`
  return x
}
