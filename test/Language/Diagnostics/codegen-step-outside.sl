// opt.step differentiates the computation next to it: a loss computed
// before a loop or `if` around the step is an error, not zero gradients.
// RUN: not sluice emit %s 2>&1 | FileCheck %s
param train: bool = true
model Scale {
  k: f32[2] = ones()
  fn forward(self) -> f32 {
    return sum(self.k * self.k)
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
  let loss = net()
  if train {
    opt.step(loss)
    // CHECK: codegen-step-outside.sl:[[@LINE-1]]:5: error: 'sluice.grad' op differentiates a loss computed outside its own block; compute the loss next to the step (inside the same loop or `if` body)
  }
  log k: sum(net.k)
}
