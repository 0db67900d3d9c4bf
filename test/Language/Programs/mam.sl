// Target program 4 of LANGUAGE-SKETCH.md (marginalization models): the
// marginal self-consistency residual in a loss, trained for a few steps.
// (Self-consistency.sl in test/Execution/Language checks the residual and
// its gradients against a float64 reference.)
// RUN: sluice check %s
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
// CHECK-COUNT-5: loss: {{-?[0-9]+\.?[0-9]*(e[-+][0-9]+)?$}}
// CHECK-NOT: nan
//
// The residual is the dialect's op, differentiated as one, and written out
// as tensor code when lowered.
// RUN: sluice emit %s | FileCheck %s --check-prefix=IR
// The language draws the variables in range and checks the values itself,
// so the op is in_bounds.
// IR: sluice.mam_residual {{.*}} in_bounds : tensor<32xf32>, tensor<32x16x?xf32>, tensor<32xi64>
// IR-NOT: sluice.grad
// RUN: sluice emit --stage=lowered %s | FileCheck %s --check-prefix=LOWERED
// LOWERED-NOT: sluice.mam_residual
//
// One random order per sample is what code generation covers.
// RUN: sed 's/orders: 1/orders: 2/' %s > %t.orders.sl
// RUN: not sluice build %t.orders.sl -o %t.orders 2>&1 | FileCheck %s --check-prefix=ORDERS
// ORDERS: orders.sl:{{[0-9]+}}:53: error: `self_consistency` is generated for `orders: 1` (one random order per sample) only

use nn
use optim

// log p(x) of a partial assignment.
model Marginal(dim: int) {
  net = nn.Mlp(dim, 64, 1)
  fn forward(self, x: f32[?, dim]) -> f32[?, 1] { return self.net(x) }
}

// p(x_i | x_<i) for every position: K logits per variable, `outs` = dim * K.
model Conditional(dim: int, outs: int) {
  net = nn.Mlp(dim, 64, outs)
  fn forward(self, x: f32[?, dim]) -> f32[?, outs] { return self.net(x) }
}

pipeline train {
  let marg = Marginal(16)
  let cond = Conditional(16, 16 * 4)
  let opt = optim.Adam(marg, 0.001)
  let u: f32[32, 16] = uniform(0.0, 4.0, seed: 1)
  let x = f32(int(u) + 1)                                       // values 1..4
  for step in 0..5 {
    let nll = -mean(marg(x))
    let r = self_consistency(marg, cond, x, orders: 1)           // the MaM residual
    let loss = nll + 4.0 * mean(r * r)
    opt.step(loss)
    log loss
  }
}
