// RUN: not sluice check %s 2>&1 | FileCheck %s
model M {
  fn forward(x: f32, self) -> f32 {
  // CHECK: parse-self.sl:[[@LINE-1]]:22: error: `self` must be the first parameter
    return x
  }
}
fn g(self) {
// CHECK: parse-self.sl:[[@LINE-1]]:6: error: `self` is only a parameter of model methods
}
