// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let a = 1
  a + 1
  // CHECK: sema-expression-statement.sl:[[@LINE-1]]:3: error: this expression's value is unused; bind it with `let` or log it with `log`
}
