// RUN: not sluice check %s 2>&1 | FileCheck %s
fn pick(x: f32[8, 10], labels: int[6]) -> f32[8] {
  return take_along(x, labels)
  // CHECK: sema-take-along.sl:[[@LINE-1]]:10: error: shape mismatch in `take_along` (rows): f32[8, 10] and int[6]
}
