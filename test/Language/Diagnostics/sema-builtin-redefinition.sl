// RUN: not sluice check %s 2>&1 | FileCheck %s
fn relu(x: f32) -> f32 {
// CHECK: sema-builtin-redefinition.sl:[[@LINE-1]]:4: error: `relu` is a builtin function and cannot be redefined
  return x
}
