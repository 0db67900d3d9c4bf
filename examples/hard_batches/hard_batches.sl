// Target program 2 of LANGUAGE-SKETCH.md on real data: an MLP on
// Fashion-MNIST (70,000 28x28 images in 10 classes, from Debian's
// dataset-fashion-mnist), trained on loss-ranked batches
// (`select hardest`, TECHNIQUES.md section 2): one full pass over fixed
// batches, then passes over the floor(delta * N) batches with the largest
// recorded loss, for the budget of `epochs` full passes. delta = 1 is plain
// training. After every N steps (one epoch's budget) it logs the test
// accuracy, so runs with different deltas can be compared step for step.

use nn
use optim

param data: path = "/usr/share/datasets/fashion-mnist"
param delta: f32 = 0.5
param epochs: int = 10
param batch: int = 128
param lr: f32 = 0.001

let D = load_dataset(data)

model Mlp {
  body = nn.Mlp(D.features.cols, 256, D.num_classes)
  fn forward(self, x: f32[?, D.features.cols]) -> f32[?, D.num_classes] { return self.body(x) }
}

pipeline train {
  let net = Mlp()
  let opt = optim.Adam(net, lr)
  let steps_per_epoch = (len(D.train) + batch - 1) / batch
  var step = 0
  for b in batches(D.train, batch) select hardest(delta, epochs) by loss {
    let loss = nn.cross_entropy(net.forward(D.features[b]), D.labels[b])
    opt.step(loss)
    step = step + 1
    if step % steps_per_epoch == 0 {
      log test_accuracy: nn.accuracy(net.forward(D.features[D.test]), D.labels[D.test])
    }
  }
}
