// A model's members and constructor: defaults and initial values must have
// the declared types, a member needs a value, a name is a member or a
// method but not both, and a call passes no more arguments than declared.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
fn setup() {
}
model Net(n: int = 2.5) {
// CHECK: sema-model-members.sl:[[@LINE-1]]:20: error: the default of `n` is f32, but the parameter is int
  w: f32[2, 2] = [1.0, 2.0]
  // CHECK: sema-model-members.sl:[[@LINE-1]]:18: error: the initial value of `w` is [f32], but it is declared f32[2, 2]
  s = setup()
  // CHECK: sema-model-members.sl:[[@LINE-1]]:7: error: this gives no value to member `s`
  forward = 1
  fn forward(self, x: f32) -> f32 {
  // CHECK: sema-model-members.sl:[[@LINE-1]]:6: error: model `Net` has both a member and a method named `forward`
    return x
  }
}
model Pair(a: int, b: int) {
  w: f32[a, b] = zeros()
}
pipeline p {
  let q = Pair(2, 3, 4)
  // CHECK: sema-model-members.sl:[[@LINE-1]]:22: error: too many arguments to `Pair`: it takes 2 arguments
  // CHECK: sema-model-members.sl:[[@LINE-6]]:7: note: `Pair` is defined here
}
