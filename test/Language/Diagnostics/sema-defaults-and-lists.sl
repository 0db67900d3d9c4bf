// Constructor defaults are constants; list elements share one type; a
// `select hardest` delta literal lies in (0, 1].
// RUN: not sluice check %s 2>&1 | FileCheck %s
let K = 3
model M(n: int = K) {
// CHECK: sema-defaults-and-lists.sl:[[@LINE-1]]:18: error: the default of parameter `n` must be a constant (a number, string or bool)
  w: f32[2] = zeros()
}
optimizer O(lr: f32, decay: f32 = lr / 10.0) {
// CHECK: sema-defaults-and-lists.sl:[[@LINE-1]]:35: error: the default of parameter `decay` must be a constant (a number, string or bool)
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - lr * g
  }
}
param a: f64 = 0.5
param k: int = 2
let D = load_dataset("builtin:blobs")
pipeline p {
  let mixed = [a, 1.5, k]
  // CHECK: sema-defaults-and-lists.sl:[[@LINE-1]]:24: error: list elements of different types: this is int, an earlier one f64
  // CHECK: sema-defaults-and-lists.sl:[[@LINE-2]]:16: note: this is f64
  let l: [f32] = [k, 2]
  // CHECK: sema-defaults-and-lists.sl:[[@LINE-1]]:18: error: `l` is declared [f32] but its value is [int]
  let ok: [f32] = [1, 2.5]
  for b in batches(D.train, 64) select hardest(2, 3) by loss {
  // CHECK: sema-defaults-and-lists.sl:[[@LINE-1]]:48: error: `delta` is the share of batches to revisit and must lie in (0, 1]
    let loss = 1.0
  }
  for b in batches(D.train, 64) select hardest(-0.5, 3) by loss {
  // CHECK: sema-defaults-and-lists.sl:[[@LINE-1]]:48: error: `delta` is the share of batches to revisit and must lie in (0, 1]
    let loss = 1.0
  }
}
