// The language tour: parameters that become flags, a model built from the
// standard library, tensors whose shapes are checked at compile time,
// training with gradients the compiler derives, and logs. Build and run it:
//
//   sluice build examples/language-tour/tour.sl -o tour
//   ./tour --steps 40 --lr 0.02
use nn
use optim

param scale: f32 = 1.0
param steps: int = 20
param lr: f32 = 0.05

// A classifier over `features` inputs: a two-hidden-layer MLP of nn.
model Classifier(features: int, classes: int) {
  body = nn.Mlp(features, 8, classes)

  fn forward(self, x: f32[?, features]) -> f32[?, classes] {
    return self.body(x)
  }
}

pipeline tour {
  let net = Classifier(4, 3)
  let opt = optim.Adam(net, lr)
  // Six samples of four features: x[i][j] = u[i] * v[j] * scale.
  let u: f32[6] = [0.3, -1.2, 0.8, 2.0, -0.5, 1.1]
  let v: f32[4] = [1.0, 0.5, -0.25, 2.0]
  let grid: f32[4, 6] = ones()
  let x = transpose(grid * u) * v * scale
  let labels: int[6] = [0, 1, 2, 1, 0, 2]
  // opt.step differentiates the loss with respect to every parameter of
  // `net` (no backward code to write) and applies Adam's rule.
  for step in 0..steps {
    let loss = nn.cross_entropy(net(x), labels)
    opt.step(loss)
    log loss
  }
  let logits = net(x)
  log accuracy: nn.accuracy(logits, labels)
  log confidence: mean(take_along(softmax(logits), argmax(logits)))
}
