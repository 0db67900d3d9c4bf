// RUN: not sluice check %s 2>&1 | FileCheck %s
use optim
optimizer Bad(lr: f32) {
  fn update(w: f32[*], g: f32[*]) {
  // CHECK: sema-optimizer.sl:[[@LINE-1]]:6: error: an optimizer's rule is `fn update(w: f32[*], g: f32[*], t: int)`: the parameter, its gradient, and the step number from 1
    w = w - lr * g
  }
}
pipeline p {
  let o = optim.Sgd(3, lr: 0.1)
  // CHECK: sema-optimizer.sl:[[@LINE-1]]:21: error: the first argument of `optim.Sgd` is the model to train; this is int
  let q = optim.Adam()
  // CHECK: sema-optimizer.sl:[[@LINE-1]]:11: error: an optimizer is made for a model: `optim.Adam(model, ...)`
}
