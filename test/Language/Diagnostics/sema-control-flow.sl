// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  if 1 {
  // CHECK: sema-control-flow.sl:[[@LINE-1]]:6: error: the condition of `if` must be a bool, not int
  }
  for i in 3 {
  // CHECK: sema-control-flow.sl:[[@LINE-1]]:12: error: cannot loop over int; expected a range `a..b`, `batches(...)` or a list
  }
  for j in 0..2.5 {
  // CHECK: sema-control-flow.sl:[[@LINE-1]]:15: error: range bounds are ints; this is f32
  }
}
