// A list is indexed by exactly one int.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
pipeline p {
  let xs = [1, 2, 3]
  log xs[0, 1]
  // CHECK: sema-list-index.sl:[[@LINE-1]]:7: error: a list is indexed by one int
  log xs[1.5]
  // CHECK: sema-list-index.sl:[[@LINE-1]]:7: error: a list is indexed by one int
  log xs[1]
}
