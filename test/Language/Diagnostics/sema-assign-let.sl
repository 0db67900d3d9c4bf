// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let total = 0
  total = total + 1
  // CHECK: sema-assign-let.sl:[[@LINE-1]]:3: error: cannot assign to `total`: it is a `let`; declare it with `var` to change it
  // CHECK: sema-assign-let.sl:[[@LINE-3]]:7: note: declared here
  var count = 0
  count = 1.5
  // CHECK: sema-assign-let.sl:[[@LINE-1]]:11: error: `count` is int but the new value is f32
  missing = 2
  // CHECK: sema-assign-let.sl:[[@LINE-1]]:3: error: assignment to undefined `missing`
}
