// An optimizer state starts as a number, which fills a tensor shaped like
// each parameter.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
optimizer Momentum(lr: f32) {
  state v = "zero"
  // CHECK: sema-optimizer-state-init.sl:[[@LINE-1]]:13: error: an optimizer state starts as a number that fills a tensor shaped like each parameter; this is str
  state u = [0.0, 0.0]
  // CHECK: sema-optimizer-state-init.sl:[[@LINE-1]]:13: error: an optimizer state starts as a number that fills a tensor shaped like each parameter; this is [f32]
  state m = 0.0
  fn update(w: f32[*], g: f32[*], t: int) {
    m = 0.9 * m + g
    w = w - lr * m
  }
}
