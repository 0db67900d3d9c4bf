// Functions, model types and modules are names, not values; a `var` holds a
// number, bool or tensor; defaults of function parameters are constants of
// the parameter's type; tensor elements are not assigned.
// RUN: not sluice check %s 2>&1 | FileCheck %s
use nn
use optim
fn twice(x: int = "two") -> int {
// CHECK: sema-names-and-values.sl:[[@LINE-1]]:19: error: the default of `x` is str, but the parameter is int
  return 2 * x
}
fn shifted(x: int, step: int = x) -> int {
// CHECK: sema-names-and-values.sl:[[@LINE-1]]:32: error: the default of parameter `step` must be a constant (a number, string or bool)
  return x + step
}
let G = load_graph("builtin:sbm")
pipeline p {
  let f = twice
  // CHECK: sema-names-and-values.sl:[[@LINE-1]]:11: error: `f` would name a function, which is not a value; call it instead
  let layer = nn.Linear
  // CHECK: sema-names-and-values.sl:[[@LINE-1]]:15: error: `layer` would name a model type, which is not a value; call it instead
  let make = optim.Sgd
  // CHECK: sema-names-and-values.sl:[[@LINE-1]]:14: error: `make` would name an optimizer type, which is not a value; call it instead
  let lib = nn
  // CHECK: sema-names-and-values.sl:[[@LINE-1]]:13: error: `lib` would name a module, which is not a value; use its members (`module.name`)
  var net = nn.Linear(2, 2)
  // CHECK: sema-names-and-values.sl:[[@LINE-1]]:13: error: a `var` holds a number, bool or tensor, not model Linear; bind it with `let`
  var w: f32[2] = zeros()
  w[0] = 1.0
  // CHECK: sema-names-and-values.sl:[[@LINE-1]]:3: error: elements cannot be assigned; tensors are values (compute a new one)
  for b in batches(G.train, -4) {
  // CHECK: sema-names-and-values.sl:[[@LINE-1]]:29: error: the batch size must be positive
  }
}
