// Target program 4 of LANGUAGE-SKETCH.md (marginalization models), through
// `sluice check`: the marginal self-consistency residual in a loss.
// RUN: sluice check %s
// RUN: not sluice emit %s 2>&1 | FileCheck %s
// CHECK: mam.sl:[[@LINE+21]]:11: error: `self_consistency` is checked but not generated yet

use nn

// log p(x) of a partial assignment.
model Marginal(dim: int) {
  net = nn.Mlp(dim, 64, 1)
  fn forward(self, x: f32[?, dim]) -> f32[?, 1] { return self.net(x) }
}

// p(x_i | x_<i) for every position.
model Conditional(dim: int, values: int) {
  net = nn.Mlp(dim, 64, values)
  fn forward(self, x: f32[?, dim]) -> f32[?, values] { return self.net(x) }
}

pipeline train {
  let marg = Marginal(16)
  let cond = Conditional(16, 4)
  let x: f32[32, 16] = zeros()
  let nll = -mean(marg(x))
  let r = self_consistency(marg, cond, x, orders: 1)           // the MaM residual
  let loss = nll + 4.0 * mean(r * r)
  log loss
}
