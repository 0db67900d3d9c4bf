// Model constructor arguments are checked like calls, and set the
// dimensions of the instance's methods.
// RUN: not sluice check %s 2>&1 | FileCheck %s
use nn
pipeline p {
  let layer = nn.Linear(8)
  // CHECK: sema-model-arguments.sl:[[@LINE-1]]:15: error: missing argument `outputs` of `nn.Linear`
  let good = nn.Linear(8, 4)
  let x: f32[16, 5] = zeros()
  let y = good(x)
  // CHECK: sema-model-arguments.sl:[[@LINE-1]]:16: error: argument `x` of `good.forward` is f32[16, 5], but the parameter is f32[?, 8]
}
