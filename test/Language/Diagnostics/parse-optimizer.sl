// RUN: not sluice check %s 2>&1 | FileCheck %s
optimizer Plain(lr: f32) {
// CHECK: parse-optimizer.sl:[[@LINE-1]]:11: error: optimizer `Plain` has no `fn update(w, g, t)` rule
  state m = 0.0
}
optimizer Twice(lr: f32) {
  fn step(w: f32[*], g: f32[*], t: int) {
  // CHECK: parse-optimizer.sl:[[@LINE-1]]:6: error: an optimizer has one function, `update`; found `step`
  }
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - lr * g
  }
}
