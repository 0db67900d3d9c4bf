// MaM's marginal self-consistency residual (`self_consistency`), its loss
// and the loss's gradients, and the conditional term alone
// (`conditional_nll`), checked against Inputs/self-consistency.py: the
// same random orders re-drawn from the generator docs/language.md gives, the
// residual in float64, the gradients by central differences. The script
// also checks that the orders are drawn as a uniform order and a uniform
// position in it would give.
// RUN: sluice build %s -o %t
// RUN: %t > %t.out
// RUN: python3 %S/Inputs/self-consistency.py %t.out 11
// RUN: %t --seed 12345 > %t.other
// RUN: python3 %S/Inputs/self-consistency.py %t.other 12345
//
// Sample values must be classes 1..K; the conditional network must give K
// logits for each variable.
// RUN: not %t --shift 0 2>&1 | FileCheck %s --check-prefix=VALUES
// VALUES: sluice: error: {{.*}}self-consistency.sl:[[@LINE+34]]:11: `self_consistency`: 9 sample value(s) are not whole numbers from 1 to K
// RUN: not %t --outs 14 2>&1 | FileCheck %s --check-prefix=LOGITS
// LOGITS: sluice: error: {{.*}}self-consistency.sl:[[@LINE+32]]:11: `self_consistency`: the conditional network gives 14 logits per sample, not K > 0 for each of the 5 variables

// log p(x) of a partial sample: linear in x.
model Marginal(dim: int) {
  w: f32[dim] = uniform(-0.5, 0.5, seed: 3)
  fn forward(self, x: f32[?, dim]) -> f32[?] { return x @ self.w }
}

// The logits of each variable's values, K per variable in a row.
model Conditional(dim: int, outs: int) {
  v: f32[dim, outs] = uniform(-0.5, 0.5, seed: 4)
  fn forward(self, x: f32[?, dim]) -> f32[?, outs] { return tanh(x @ self.v) }
}

// Records the gradient: w - (w - g).
optimizer Step {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - g
  }
}

param seed: int = 11
param shift: int = 1
param outs: int = 15

pipeline p {
  let marg = Marginal(5)
  let cond = Conditional(5, outs)
  let u: f32[6, 5] = uniform(0.0, 3.0, seed: 5)
  let x = f32(int(u) + shift)
  let w0 = marg.w
  let v0 = cond.v
  let r = self_consistency(marg, cond, x, seed: seed)
  // The conditional term alone, for the same orders (the same seed).
  let nll = conditional_nll(cond, x, seed: seed)
  let loss = mean(r * r)
  Step(marg).step(loss)
  Step(cond).step(loss)
  let w1 = marg.w
  let v1 = cond.v
  for b in 0..6 {
    for i in 0..5 {
      log x: x[b, i]
    }
  }
  for i in 0..5 {
    log w: w0[i]
  }
  for i in 0..5 {
    for k in 0..outs {
      log v: v0[i, k]
    }
  }
  for b in 0..6 {
    log r: r[b]
  }
  for b in 0..6 {
    log nll: nll[b]
  }
  log loss
  for i in 0..5 {
    log gw: w0[i] - w1[i]
  }
  for i in 0..5 {
    for k in 0..outs {
      log gv: v0[i, k] - v1[i, k]
    }
  }
}
