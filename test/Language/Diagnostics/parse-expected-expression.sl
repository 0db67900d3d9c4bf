// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let a = * 2
  // CHECK: parse-expected-expression.sl:[[@LINE-1]]:11: error: expected an expression, found `*`
}
