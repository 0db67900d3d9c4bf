// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let w = uniform(-1.0, 1.0)
  // CHECK: sema-infer-shape.sl:[[@LINE-1]]:11: error: cannot infer the shape of `uniform(...)`; give it a type, e.g. `let w: f32[4, 4] = uniform(...)`
  let z: int = zeros()
  // CHECK: sema-infer-shape.sl:[[@LINE-1]]:16: error: `zeros` makes float tensors with a shape, not int
}
