// A shape mismatch names both sides and points at each.
// RUN: not sluice check %s 2>&1 | FileCheck %s
fn f(a: f32[B, 256], b: f32[B, 47]) -> f32[B, 256] {
  return a + b
  // CHECK: sema-shape-mismatch.sl:[[@LINE-1]]:10: error: shape mismatch in `+`: f32[B, 256] and f32[B, 47]
  // CHECK: sema-shape-mismatch.sl:[[@LINE-2]]:10: note: this is f32[B, 256]
  // CHECK: sema-shape-mismatch.sl:[[@LINE-3]]:14: note: this is f32[B, 47]
}
fn g(a: f32[N, 4], b: f32[M, 4]) -> f32[N, 4] {
  return a * b
  // CHECK: sema-shape-mismatch.sl:[[@LINE-1]]:10: error: shape mismatch in `*`: f32[N, 4] and f32[M, 4]
}
