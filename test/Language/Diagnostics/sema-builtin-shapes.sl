// min, max and pow are elementwise like the operators: one element type and
// broadcast shapes.
// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let a: f32[3, 4] = ones()
  let b: f32[2, 5] = ones()
  log s: sum(max(a, b))
  // CHECK: sema-builtin-shapes.sl:[[@LINE-1]]:14: error: shape mismatch in `max`: f32[3, 4] and f32[2, 5]
  // CHECK: note: this is f32[3, 4]
  // CHECK: note: this is f32[2, 5]
  let x: f32[4] = ones()
  let y: f64[4] = ones()
  log t: sum(pow(x, y))
  // CHECK: sema-builtin-shapes.sl:[[@LINE-1]]:14: error: `pow` mixes f32[4] and f64[4]; convert one side, e.g. with `f32(...)`
  log u: sum(min(x, a))
}
