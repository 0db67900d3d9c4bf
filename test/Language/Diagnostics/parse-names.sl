// Every place that needs a name says which name it expected and what it
// found instead; each mistake is reported once and parsing goes on.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
use 3
// CHECK: parse-names.sl:[[@LINE-1]]:5: error: expected a name after `use`, found number `3`
use nn.*
// CHECK: parse-names.sl:[[@LINE-1]]:8: error: expected a name in the module path, found `*`
param : int
// CHECK: parse-names.sl:[[@LINE-1]]:7: error: expected a name for the program parameter, found `:`
fn (x: int) {
// CHECK: parse-names.sl:[[@LINE-1]]:4: error: expected a name for the function, found `(`
}
fn f(: int) {
// CHECK: parse-names.sl:[[@LINE-1]]:6: error: expected a name for the parameter, found `:`
}
fn g(x: 5) {
// CHECK: parse-names.sl:[[@LINE-1]]:9: error: expected a name of a type, found number `5`
}
fn h(x: nn.[4]) {
// CHECK: parse-names.sl:[[@LINE-1]]:12: error: expected a name in the type name, found `[`
}
fn k(x: f32[N.]) {
// CHECK: parse-names.sl:[[@LINE-1]]:15: error: expected a name in the dimension, found `]`
}
model {
// CHECK: parse-names.sl:[[@LINE-1]]:7: error: expected a name for the model, found `{`
}
optimizer {
// CHECK: parse-names.sl:[[@LINE-1]]:11: error: expected a name for the optimizer, found `{`
}
optimizer Sgd(lr: f32) {
  state = 0.0
  // CHECK: parse-names.sl:[[@LINE-1]]:9: error: expected a name for the member, found `=`
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - lr * g
  }
}
schedule {
// CHECK: parse-names.sl:[[@LINE-1]]:10: error: expected a name of the pipeline this schedule is for, found `{`
}
pipeline {
// CHECK: parse-names.sl:[[@LINE-1]]:10: error: expected a name for the pipeline, found `{`
}
pipeline p {
  let = 1
  // CHECK: parse-names.sl:[[@LINE-1]]:7: error: expected a name after `let`, found `=`
  var 2 = 3
  // CHECK: parse-names.sl:[[@LINE-1]]:7: error: expected a name after `var`, found number `2`
  for in 0..3 {
  // CHECK: parse-names.sl:[[@LINE-1]]:7: error: expected a name for the loop variable, found `in`
  }
  let G = load_graph("builtin:sbm")
  for b in batches(G.train, 32) select hardest(0.5, 2) by {
  // CHECK: parse-names.sl:[[@LINE-1]]:59: error: expected a name after `by`, found `{`
  }
  let n = G.(1)
  // CHECK: parse-names.sl:[[@LINE-1]]:13: error: expected a name after `.`, found `(`
}
