// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let a 5
  // CHECK: parse-let-missing-value.sl:[[@LINE-1]]:9: error: expected `=` and a value after `a`, found number `5`
}
