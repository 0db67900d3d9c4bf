// Parameter lists: the parentheses, the commas between parameters, and a
// type for every parameter.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
fn a {
// CHECK: parse-parameters.sl:[[@LINE-1]]:6: error: expected `(` to open the parameter list, found `{`
}
fn b(x: int y: int) {
// CHECK: parse-parameters.sl:[[@LINE-1]]:13: error: expected `,` between parameters, found identifier `y`
}
fn c(x) {
// CHECK: parse-parameters.sl:[[@LINE-1]]:7: error: expected `:` and a type after parameter `x`, found `)`
}
model M(n: int, 4) {
// CHECK: parse-parameters.sl:[[@LINE-1]]:17: error: expected a name for the parameter, found number `4`
  w: f32[n] = zeros()
}
optimizer O(lr = 0.1) {
// CHECK: parse-parameters.sl:[[@LINE-1]]:16: error: expected `:` and a type after parameter `lr`, found `=`
  fn update(w: f32[*], g: f32[*], t: int) {
  }
}
