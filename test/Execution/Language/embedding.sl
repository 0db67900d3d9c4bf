// normal(mean, std) initialization and the gradient of a gather of
// parameter rows (nn.Embedding): the normal draws equal Box-Muller over the
// splitmix64 streams computed in float64 Python, their sample mean and
// standard deviation are right, and one step through an embedding lookup
// with repeated ids matches central finite differences (rows looked up
// twice get both contributions, rows never looked up none).
// RUN: sluice build %s -o %t
// RUN: %t > %t.out
// RUN: python3 %S/Inputs/embedding.py %t.out
use nn

model Lookup {
  table = nn.Embedding(6, 3)
  fn forward(self, ids: int[?]) -> f32[?, 3] {
    return self.table(ids)
  }
}

optimizer Step {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - g
  }
}

pipeline p {
  let z: f32[4, 3] = normal(0.5, 2.0, seed: 7)
  for i in 0..4 {
    for j in 0..3 {
      log z: z[i, j]
    }
  }
  let many: f32[20000] = normal(0.0, 1.0, seed: 11)
  log mean: mean(many)
  log std: sqrt(mean(many * many) - mean(many) * mean(many))

  let net = Lookup()
  let step = Step(net)
  let ids: int[4] = [1, 4, 1, 0]
  let columns: f32[3] = [1.0, -2.0, 0.5]
  let rows: f32[4] = [1.0, 0.25, 2.0, -0.5]
  let all: int[6] = [0, 1, 2, 3, 4, 5]
  let before = net(all)
  for r in 0..6 {
    for c in 0..3 {
      log w: before[r, c]
    }
  }
  step.step(sum((tanh(net(ids)) @ columns) * rows))
  let after = net(all)
  for r in 0..6 {
    for c in 0..3 {
      log grad: before[r, c] - after[r, c]
    }
  }
}
