// Marginalization models (MaM; TECHNIQUES.md, section 4) by maximum
// likelihood, as the paper trains them: first the conditional network as an
// any-order autoregressive model (`conditional_nll`), then the marginal
// network distilled from it by the self-consistency penalty
// (`self_consistency`), the conditional network frozen. The data is
// discrete (8 variables with values 1 or 2) from a known distribution, a
// mixture of two product distributions, so the learned log-probabilities
// can be compared with the exact ones: one forward pass of the marginal
// network gives log p of a whole sample, or of any partial one (0: unknown).

use nn
use optim

param steps: int = 2000      // per stage
param lr: f32 = 0.003
param every: int = 250       // log every this many steps

// log p of a partial sample.
model Marginal(dim: int) {
  net = nn.Mlp(dim, 64, 1)
  fn forward(self, x: f32[?, dim]) -> f32[?, 1] { return self.net(x) }
}

// The logits of both values of every variable, given a partial sample.
model Conditional(dim: int, outs: int) {
  net = nn.Mlp(dim, 64, outs)
  fn forward(self, x: f32[?, dim]) -> f32[?, outs] { return self.net(x) }
}

pipeline train {
  // 2048 samples: a fair coin picks one of two product distributions.
  let pa: f32[8] = uniform(0.05, 0.35, seed: 1)
  let pb: f32[8] = uniform(0.65, 0.95, seed: 2)
  let coin: f32[2048, 1] = uniform(0.0, 1.0, seed: 3)
  let u: f32[2048, 8] = uniform(0.0, 1.0, seed: 4)
  let first = f32(coin < 0.5)
  let x = f32(u < first * pa + (1.0 - first) * pb) + 1.0
  // The exact log p of each sample, and their mean: the data's entropy.
  let ones8: f32[8] = ones()
  let two = x - 1.0
  let la = (two * log(pa) + (1.0 - two) * log(1.0 - pa)) @ ones8
  let lb = (two * log(pb) + (1.0 - two) * log(1.0 - pb)) @ ones8
  let top = max(la, lb)
  let exact = top + log(0.5 * exp(la - top) + 0.5 * exp(lb - top))
  log entropy: -mean(exact)

  // Stage 1: the conditional network as an any-order autoregressive model;
  // 8 x the mean of one random step per sample estimates its NLL.
  let cond = Conditional(8, 16)
  let copt = optim.Adam(cond, lr)
  for step in 0..steps {
    let nll = 8.0 * mean(conditional_nll(cond, x))
    copt.step(nll)
    if step % every == 0 {
      log arm_nll: nll
    }
  }

  // Stage 2: the marginal network from the conditional one: D * mean(r^2),
  // plus (f(all unknown) - log Z)^2 with log Z = 0 (a normalized model).
  let marg = Marginal(8)
  let mopt = optim.Adam(marg, lr)
  let unknown: f32[1, 8] = zeros()
  for step in 0..steps {
    let r = self_consistency(marg, cond, x)
    let z = marg(unknown)
    let penalty = 8.0 * mean(r * r) + z[0, 0] * z[0, 0]
    mopt.step(penalty)
    if step % every == 0 {
      log penalty
    }
  }

  // One forward pass per sample: the learned log p against the exact one.
  let ones1: f32[1] = ones()
  let learned = marg(x) @ ones1
  log marginal_nll: -mean(learned)
  log mean_abs_error: mean(abs(learned - exact))
  log log_z: marg(unknown)[0, 0]
}
