// Used by codegen-step-outside.sl: `h` is computed from the parameters
// before the `if` that holds the step.
param train: bool = true
model Scale {
  k: f32[2] = ones()
}
optimizer Step {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - g
  }
}
pipeline p {
  let net = Scale()
  let opt = Step(net)
  let h = net.k * net.k
  if train {
    opt.step(sum(h))
  }
  log k: sum(net.k)
}
