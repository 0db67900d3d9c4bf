// Rules of builtins beyond their argument types: a positive literal batch
// size, `step` only where training runs, and `pow`/`min`/`max` on one
// number type.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
model Net {
  w: f32[4] = zeros()
}
optimizer Sgd(lr: f32) {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - lr * g
  }
}
let m = Net()
let o = Sgd(m, lr: 0.1)
let s = o.step(1.0)
// CHECK: sema-builtin-rules.sl:[[@LINE-1]]:9: error: `step` runs in a pipeline
// CHECK: sema-builtin-rules.sl:[[@LINE-2]]:9: error: this gives no value to `s`
param lr: f32 = 0.1
param scale: f64 = 2.0
pipeline p {
  let G = load_graph("builtin:sbm")
  for b in batches(G.train, 0) {
  // CHECK: sema-builtin-rules.sl:[[@LINE-1]]:29: error: the batch size must be positive
    log 1
  }
  log pow(lr, scale)
  // CHECK: sema-builtin-rules.sl:[[@LINE-1]]:7: error: `pow` mixes f32 and f64
  log max(lr, 1)
}
