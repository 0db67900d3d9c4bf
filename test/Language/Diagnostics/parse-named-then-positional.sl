// RUN: not sluice check %s 2>&1 | FileCheck %s
fn f(a: int, b: int) -> int {
  return a + b
}
pipeline p {
  let x = f(a: 1, 2)
  // CHECK: parse-named-then-positional.sl:[[@LINE-1]]:19: error: a positional argument cannot follow named arguments
}
