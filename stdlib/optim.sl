// optim: optimizers, written in Sluice (`use optim`).
//
// An optimizer's `update` runs once per trainable parameter and step: `w` is
// the parameter, `g` its gradient, `t` the step number from 1. Each `state`
// starts as a tensor shaped like the parameter, filled with its value. The
// rules are PyTorch's (torch.optim), so results are comparable.

// SGD with momentum and L2 weight decay (torch.optim.SGD, dampening 0).
optimizer Sgd(lr: f32, momentum: f32 = 0.0, weight_decay: f32 = 0.0) {
  state velocity = 0.0

  fn update(w: f32[*], g: f32[*], t: int) {
    let d = g + weight_decay * w
    velocity = momentum * velocity + d
    w = w - lr * velocity
  }
}

// Adam with L2 weight decay (torch.optim.Adam).
optimizer Adam(lr: f32 = 0.001, beta1: f32 = 0.9, beta2: f32 = 0.999,
               eps: f32 = 1e-8, weight_decay: f32 = 0.0) {
  state m = 0.0
  state v = 0.0

  fn update(w: f32[*], g: f32[*], t: int) {
    let d = g + weight_decay * w
    m = beta1 * m + (1.0 - beta1) * d
    v = beta2 * v + (1.0 - beta2) * d * d
    let m_hat = m / (1.0 - pow(beta1, f32(t)))
    let v_hat = v / (1.0 - pow(beta2, f32(t)))
    w = w - lr * m_hat / (sqrt(v_hat) + eps)
  }
}

// AdamW: Adam with decoupled weight decay (torch.optim.AdamW).
optimizer AdamW(lr: f32 = 0.001, beta1: f32 = 0.9, beta2: f32 = 0.999,
                eps: f32 = 1e-8, weight_decay: f32 = 0.01) {
  state m = 0.0
  state v = 0.0

  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - lr * weight_decay * w
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    let m_hat = m / (1.0 - pow(beta1, f32(t)))
    let v_hat = v / (1.0 - pow(beta2, f32(t)))
    w = w - lr * m_hat / (sqrt(v_hat) + eps)
  }
}
