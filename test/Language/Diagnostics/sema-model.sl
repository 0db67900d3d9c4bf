// RUN: not sluice check %s 2>&1 | FileCheck %s
use nn
model Net {
  body = nn.Linear(4, 2)
  w: int = 3
  // CHECK: sema-model.sl:[[@LINE-1]]:6: error: a trainable parameter is a float tensor with a shape, such as `f32[out, in]`; `w` is int
  body = nn.Linear(2, 2)
  // CHECK: sema-model.sl:[[@LINE-1]]:3: error: model `Net` already has a member `body`
  // CHECK: sema-model.sl:[[@LINE-5]]:3: note: the first definition
  fn forward(self, x: f32[?, 4]) -> f32[?, 2] {
    return self.bdy(x)
    // CHECK: sema-model.sl:[[@LINE-1]]:17: error: model `Net` has no member `bdy`
    // CHECK: note: did you mean `body`?
  }
  fn helper(x: f32) -> f32 {
  // CHECK: sema-model.sl:[[@LINE-1]]:6: error: method `helper` of model `Net` must take `self` first
    return x
  }
}
model Loop {
  inner = Loop()
  // CHECK: sema-model.sl:[[@LINE-1]]:11: error: model `Loop` contains itself
}
model NoForward {
  fn other(self) -> int {
    return 1
  }
}
pipeline p {
  let n = NoForward()
  log n(1)
  // CHECK: sema-model.sl:[[@LINE-1]]:7: error: model `NoForward` has no `forward` method to call
  log self
  // CHECK: sema-model.sl:[[@LINE-1]]:7: error: `self` is only available in model methods
}
