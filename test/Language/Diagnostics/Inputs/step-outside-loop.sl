// The loop form of step-outside-value.sl: inside a loop the parameters are
// the loop's own values, and `scaled` depends on their values before it.
param train: bool = true
model Scale {
  k: f32[2] = ones()
  fn forward(self) -> f32[2] {
    return self.k * self.k
  }
}
optimizer Step {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - g
  }
}
pipeline p {
  let net = Scale()
  let opt = Step(net)
  let scaled = net()
  for i in 0..2 {
    opt.step(sum(scaled))
  }
  log k: sum(net.k)
}
