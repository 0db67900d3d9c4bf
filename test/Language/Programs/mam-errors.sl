// What `self_consistency` needs of its networks and samples, named at
// generation time (each RUN line swaps in one mistake).
// RUN: sluice build %s -o %t
// RUN: sed 's/cond, x)/cond, xi)/' %s > %t.int.sl
// RUN: not sluice build %t.int.sl -o %t.int 2>&1 | FileCheck %s --check-prefix=INT
// INT: error: `self_consistency`'s samples must be floats (what the networks read): values 1..K, and 0 for unknown
// RUN: sed 's/Marginal(16)/Wide(16)/' %s > %t.wide.sl
// RUN: not sluice build %t.wide.sl -o %t.wide 2>&1 | FileCheck %s --check-prefix=WIDE
// WIDE: error: `self_consistency`'s marginal network must return one log-probability per sample (f32[B] or f32[B, 1])
// RUN: sed 's/self_consistency(marg, cond/self_consistency(marg, two/' %s > %t.two.sl
// RUN: not sluice build %t.two.sl -o %t.two 2>&1 | FileCheck %s --check-prefix=TWO
// TWO: error: `self_consistency`'s conditional network needs a `forward(self, x)` of one argument

use nn

model Marginal(dim: int) {
  net = nn.Mlp(dim, 8, 1)
  fn forward(self, x: f32[?, dim]) -> f32[?, 1] { return self.net(x) }
}

model Wide(dim: int) {
  net = nn.Mlp(dim, 8, 3)
  fn forward(self, x: f32[?, dim]) -> f32[?, 3] { return self.net(x) }
}

model Conditional(dim: int, outs: int) {
  net = nn.Mlp(dim, 8, outs)
  fn forward(self, x: f32[?, dim]) -> f32[?, outs] { return self.net(x) }
}

model Two(dim: int) {
  net = nn.Mlp(dim, 8, dim)
  fn forward(self, x: f32[?, dim], y: f32[?, dim]) -> f32[?, dim] { return self.net(x + y) }
}

pipeline p {
  let marg = Marginal(16)
  let cond = Conditional(16, 32)
  let two = Two(16)
  let u: f32[4, 16] = uniform(0.0, 2.0, seed: 1)
  let x = f32(int(u) + 1)
  let xi = int(u) + 1
  let r = self_consistency(marg, cond, x)
  log r: r[0]
}
