// One run reports every independent syntax error, each once.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
pipeline p {
  let a = (1 + 2
  // CHECK: parse-recovery.sl:[[@LINE+1]]:3: error: expected `)` to close the parenthesis, found `let`
  let b = 3
  let c = ]
  // CHECK: parse-recovery.sl:[[@LINE-1]]:11: error: expected an expression, found `]`
  log b +
}
// CHECK: parse-recovery.sl:[[@LINE-1]]:1: error: expected an expression, found `}`
fn f(x: int) -> int {
  return x x
  // CHECK: parse-recovery.sl:[[@LINE-1]]:12: error: expected the end of the statement
}
