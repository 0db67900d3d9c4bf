// The bodies of models and optimizers: what may appear in them, and the
// braces around them.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
model A(n: int)
  w: f32[n] = zeros()
// CHECK: parse-model-body.sl:[[@LINE-1]]:3: error: expected `{` to open the model's body, found identifier `w`
}
model B {
  w: f32[2] zeros()
  // CHECK: parse-model-body.sl:[[@LINE-1]]:13: error: expected `=` and an initial value after the member's name, found identifier `zeros`
  let v = 1
  // CHECK: parse-model-body.sl:[[@LINE-1]]:3: error: expected a member (`name = value`, `name: type = init`) or a method (`fn`) in model `B`, found `let`
}
optimizer C(lr: f32) [
// CHECK: parse-model-body.sl:[[@LINE-1]]:22: error: expected `{` to open the optimizer's body, found `[`
]
optimizer D(lr: f32) {
  var m = 0.0
  // CHECK: parse-model-body.sl:[[@LINE-1]]:3: error: expected `state` or `fn update` in optimizer `D`, found `var`
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - lr * g
  }
  fn update(w: f32[*], g: f32[*], t: int) {
  // CHECK: parse-model-body.sl:[[@LINE-1]]:3: error: optimizer `D` defines `update` twice
    w = w + lr * g
  }
}
