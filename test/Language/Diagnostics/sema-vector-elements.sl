// A list literal used as a vector: number literals adapt, other elements
// must have the vector's element type.
// RUN: not sluice check %s 2>&1 | FileCheck %s
param k: int = 2
param wide: f64 = 0.5
pipeline p {
  let m: f32[2, 3] = ones()
  log a: sum(m * [k, 1.0, 2.0])
  // CHECK: sema-vector-elements.sl:[[@LINE-1]]:19: error: this element is int, but the vector is f32; convert it, e.g. with `f32(...)`
  log b: sum(m * [wide, wide, 1])
  // CHECK: sema-vector-elements.sl:[[@LINE-1]]:19: error: this element is f64, but the vector is f32; convert it, e.g. with `f32(...)`
  let v: f32[3] = [k, k, k]
  // CHECK: sema-vector-elements.sl:[[@LINE-1]]:19: error: `v` is declared f32[3] but its value is [int]
  log c: sum(m * [f32(k), 1, 2.5])
}
