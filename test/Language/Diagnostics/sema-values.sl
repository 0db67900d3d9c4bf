// A `let` needs a value of its declared type, only a variable is assigned,
// and a function with a result returns a value.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
fn setup() {
}
fn answer() -> int {
  return
  // CHECK: sema-values.sl:[[@LINE-1]]:3: error: `return` needs a value of type int
}
pipeline p {
  let a = setup()
  // CHECK: sema-values.sl:[[@LINE-1]]:11: error: this gives no value to `a`
  let b: int = 1.5
  // CHECK: sema-values.sl:[[@LINE-1]]:16: error: `b` is declared int but its value is f32
  let c: f32[3] = [1.0, 2.0]
  // CHECK: sema-values.sl:[[@LINE-1]]:19: error: `c` is declared f32[3] but its value is [f32]
  let G = load_graph("builtin:sbm")
  G.num_nodes = 10
  // CHECK: sema-values.sl:[[@LINE-1]]:3: error: only variables can be assigned; declare one with `var`
}
