// A model's forward pass compiled for the CPU: seeded PyTorch-style
// initialization (sluice.random_uniform), Linear layers, ReLU, cross-entropy
// (log-softmax, take_along) and accuracy (argmax), checked against a float64
// reference that reimplements the generator and the layers in Python
// (Inputs/mlp-forward.py).
// RUN: sluice build %s -o %t
// RUN: %t > %t.out
// RUN: python3 %S/Inputs/mlp-forward.py > %t.ref
// RUN: python3 %S/Inputs/compare.py %t.out %t.ref
// A label out of range stops the program, naming the place.
// RUN: not %t --bad 1 2> %t.err
// RUN: FileCheck %s --check-prefix=BAD < %t.err
// BAD: sluice: error: {{.*}}nn.sl:{{[0-9]+}}:{{[0-9]+}} (called from {{.*}}mlp-forward.sl:33:16): label 7 is outside [0, 3)
use nn

param bad: int = 0

pipeline p {
  let net = nn.Mlp(4, 8, 3)
  let u: f32[5] = [0.3, -1.2, 0.8, 2.0, -0.5]
  let v: f32[4] = [1.0, 0.5, -0.25, 2.0]
  let ones45: f32[4, 5] = ones()
  let x = transpose(ones45 * u) * v          // x[i][j] = u[i] * v[j]
  let labels: int[5] = [0, 1, 2, 1, 0]
  let logits = net(x)
  log l00: logits[0, 0]
  log l42: logits[4, 2]
  log loss: nn.cross_entropy(logits, labels)
  log acc: nn.accuracy(logits, labels)
  log w: sum(net.l1.weight)
  if bad == 1 {
    let broken: int[5] = [0, 1, 7, 1, 0]
    log never: nn.cross_entropy(logits, broken)
  }
}
