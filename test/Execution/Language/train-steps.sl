// Training steps compiled for the CPU: sluice-autodiff's gradients through
// an nn.Mlp and cross-entropy, applied by optim.Sgd (momentum) and
// optim.Adam, checked against a float64 Python reference that takes its
// gradients by central finite differences (Inputs/train-steps.py).
// RUN: sluice build %s -o %t
// RUN: %t > %t.out
// RUN: python3 %S/Inputs/train-steps.py > %t.ref
// RUN: python3 %S/Inputs/compare.py %t.out %t.ref 2e-4
use nn
use optim

param steps: int = 3

fn data() -> f32[5, 4] {
  let u: f32[5] = [0.3, -1.2, 0.8, 2.0, -0.5]
  let v: f32[4] = [1.0, 0.5, -0.25, 2.0]
  let grid: f32[4, 5] = ones()
  return transpose(grid * u) * v
}

pipeline sgd {
  let net = nn.Mlp(4, 8, 3)
  let opt = optim.Sgd(net, lr: 0.1, momentum: 0.9)
  let x = data()
  let labels: int[5] = [0, 1, 2, 1, 0]
  for i in 0..steps {
    let loss = nn.cross_entropy(net(x), labels)
    opt.step(loss)
  }
  log sgd_loss: nn.cross_entropy(net(x), labels)
  log sgd_w00: net.l1.weight[0, 0]
  log sgd_b3: sum(net.l3.bias)
}

pipeline adam {
  let net = nn.Mlp(4, 8, 3)
  let opt = optim.Adam(net, lr: 0.01)
  let x = data()
  let labels: int[5] = [0, 1, 2, 1, 0]
  for i in 0..steps {
    opt.step(nn.cross_entropy(net(x), labels))
  }
  log adam_loss: nn.cross_entropy(net(x), labels)
  log adam_w00: net.l1.weight[0, 0]
  log adam_w2: sum(net.l2.weight)
}
