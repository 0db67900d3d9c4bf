// Gradients in the corners that once went wrong: steps outside loops (where
// folding could merge a parameter with equal data), kinks (relu at 0, the
// stable softplus of nn.bce at 0) and pow at 0.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
use nn

model Pair {
  a: f32[3] = ones()
  b: f32[3] = zeros()
  fn forward(self, x: f32[3]) -> f32 {
    return sum(self.a * x) + sum(self.b * x * 10.0)
  }
}

model Logistic {
  w: f32[2] = zeros()
  fn forward(self, x: f32[2]) -> f32[1] {
    let grid: f32[1, 2] = ones()
    return (grid * self.w) @ x
  }
}

model Power {
  p: f32[2] = zeros()
  fn forward(self) -> f32 {
    return sum(pow(self.p, 1.5) + relu(self.p))
  }
}

model Square {
  w: f32[2] = ones()
}

optimizer Step {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - g
  }
}

optimizer Step4 {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - 0.25 * g
  }
}

pipeline p {
  // The parameter a and the data x are both ones: the gradient of
  // sum(a * x) with respect to a is x = 1 (not 2), and b's is 10 x.
  let pair = Pair()
  let x: f32[3] = ones()
  let opt = Step(pair)
  opt.step(pair(x))
  log a: sum(pair.a)
  log b: sum(pair.b)
  // CHECK: a: 0
  // CHECK-NEXT: b: -30

  // nn.bce at logit 0: d/dlogit = (sigmoid(0) - t) / B = (0.5 - 1) / 1.
  let lr = Logistic()
  let features: f32[2] = [1.0, 2.0]
  let target: f32[1] = [1.0]
  let opt2 = Step(lr)
  opt2.step(nn.bce(lr(features), target))
  log w0: lr.w[0]
  log w1: lr.w[1]
  // CHECK-NEXT: w0: 0.5
  // CHECK-NEXT: w1: 1

  // pow(p, 1.5) and relu(p) at p = 0 have gradient 0, not NaN.
  let power = Power()
  let opt3 = Step(power)
  opt3.step(power())
  log p: sum(power.p)
  // CHECK-NEXT: p: 0

  // An `if` between the loss and the step (which passes the parameters
  // through unchanged) does not hide them: w -= 0.25 * 2w halves w.
  let sq = Square()
  let opt4 = Step4(sq)
  for step in 0..4 {
    let loss = sum(sq.w * sq.w)
    if step % 2 == 0 {
      log loss
    }
    opt4.step(loss)
  }
  log s: sum(sq.w)
  // CHECK-NEXT: loss: 2
  // CHECK-NEXT: loss: 0.125
  // CHECK-NEXT: s: 0.125
}
