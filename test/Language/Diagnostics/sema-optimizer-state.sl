// RUN: not sluice check %s 2>&1 | FileCheck %s
optimizer Typed(lr: f32) {
  state v: int = 0.5
  // CHECK: sema-optimizer-state.sl:[[@LINE-1]]:12: error: an optimizer state takes the shape and type of each parameter; write `state v = 0.0` without a type
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - lr * g
  }
}
