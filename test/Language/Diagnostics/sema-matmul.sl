// RUN: not sluice check %s 2>&1 | FileCheck %s
fn f(a: f32[8, 16], b: f32[32, 4]) -> f32[8, 4] {
  return a @ b
  // CHECK: sema-matmul.sl:[[@LINE-1]]:10: error: inner dimensions of `@` differ: 16 and 32
  // CHECK: note: this is f32[8, 16]
  // CHECK: note: this is f32[32, 4]
}
fn g(a: f32[8], b: f32[8]) -> f32 {
  return sum(a @ b)
  // CHECK: sema-matmul.sl:[[@LINE-1]]:14: error: `@` multiplies matrices (rank 2, or a vector with a matrix); the operands are f32[8] and f32[8]
}
