// The language tour: parameters that become flags, a model built from the
// standard library, tensors whose shapes are checked at compile time, and
// logs. Build it and run it:
//
//   sluice build examples/language-tour/tour.sl -o tour
//   ./tour --scale 2 --steps 5
use nn

param scale: f32 = 1.0
param steps: int = 3

// A classifier over `features` inputs: a two-hidden-layer MLP of nn.
model Classifier(features: int, classes: int) {
  body = nn.Mlp(features, 16, classes)

  fn forward(self, x: f32[?, features]) -> f32[?, classes] {
    return self.body(x)
  }
}

pipeline tour {
  let net = Classifier(4, 3)
  // Six samples of four features: x[i][j] = u[i] * v[j] * scale.
  let u: f32[6] = [0.3, -1.2, 0.8, 2.0, -0.5, 1.1]
  let v: f32[4] = [1.0, 0.5, -0.25, 2.0]
  let grid: f32[4, 6] = ones()
  let x = transpose(grid * u) * v * scale
  let labels: int[6] = [0, 1, 2, 1, 0, 2]
  let logits = net(x)
  log loss: nn.cross_entropy(logits, labels)
  log accuracy: nn.accuracy(logits, labels)
  // Sharper and sharper softmaxes: the mean share of each row's top class.
  for i in 0..steps {
    let p = softmax(logits * f32(i + 1))
    log confidence: mean(take_along(p, argmax(p)))
  }
}
