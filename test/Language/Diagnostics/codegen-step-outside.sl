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

// A value computed before the `if` from the parameters is the same mistake.
// RUN: not sluice emit %S/Inputs/step-outside-value.sl 2>&1 | FileCheck %s --check-prefix=VALUE
// VALUE: step-outside-value.sl:17:5: error: 'sluice.grad' op differentiates a loss that depends on the parameters through a value computed outside its own block; compute it next to the step (inside the same loop or `if` body)
// VALUE: step-outside-value.sl:15:11: note: computed here

// And before a loop around the step, where the parameters are the loop's
// own values (it used to train nothing, silently).
// RUN: not sluice emit %S/Inputs/step-outside-loop.sl 2>&1 | FileCheck %s --check-prefix=LOOP
// LOOP: step-outside-loop.sl:20:5: error: 'sluice.grad' op differentiates a loss that depends on the parameters through a value computed outside its own block; compute it next to the step (inside the same loop or `if` body)
// LOOP: step-outside-loop.sl:7:12: note: computed here
