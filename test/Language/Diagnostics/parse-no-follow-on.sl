// A syntax error inside a function body is reported alone: the function is
// not also said to lack its `return`.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
fn f(x: int) -> int {
  return (x
}
// CHECK: parse-no-follow-on.sl:[[@LINE-1]]:1: error: expected `)` to close the parenthesis, found `}`
