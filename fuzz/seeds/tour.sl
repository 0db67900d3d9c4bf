// A seed for the front-end fuzzer: one of each item, statement and
// expression form the parser knows (uses nothing: the fuzzer reads no files).
param data: str = "builtin:cora"
param epochs: int = 3
param hidden: int = 16
let batch = 2 * 64
let g = load_graph(data)

fn init_bound(fan_in: int) -> f32 {
  return 1.0 / sqrt(f32(fan_in))
}

fn pick(x: f32[?, 8], i: int) -> f32 {
  if i > 0 && !(i == 3) || false {
    return x[0, i % 8]
  } else if i == -1 {
    return -x[1, 2]
  } else {
    log neither: f32(i)
  }
  return 0.5e-3
}

model Linear(inputs: int, outputs: int) {
  weight: f32[outputs, inputs] = uniform(-init_bound(inputs), init_bound(inputs))
  bias: f32[outputs] = zeros()

  fn forward(self, x: f32[?, inputs]) -> f32[?, outputs] {
    return x @ transpose(self.weight) + self.bias
  }
}

model Sage(inputs: int, outputs: int) {
  root = Linear(inputs, outputs)
  neigh = Linear(inputs, outputs)

  fn forward(self, b: Block, x: f32[?, inputs]) -> f32[?, outputs] {
    return relu(self.root(dst(b, x)) + self.neigh(aggregate_mean(b, x)))
  }
}

optimizer Sgd(lr: f32, momentum: f32 = 0.0) {
  state velocity = 0.0

  fn update(w: f32[*], g: f32[*], t: int) {
    velocity = momentum * velocity + g
    w = w - lr * velocity
  }
}

pipeline train {
  let net = Sage(g.features.cols, g.num_classes)
  let opt = Sgd(net, lr: 0.01, momentum: 0.9)
  var total = 0.0
  for epoch in 0..epochs {
    for seeds in batches(g.train, batch, shuffle: false, seed: 7) select hardest(delta: 0.5, epochs: 1) by loss {
      let blocks = sample(g, seeds, [10, 5], seed: epoch)
      let x = gather(g.features, blocks.inputs)
      let logits = net(blocks.layer(0), x)
      let loss = mean(-take_along(log_softmax(logits), gather(g.labels, blocks.seeds)))
      opt.step(loss)
      total = total + loss
      log loss: loss
      log total; log epoch
    }
  }
}

schedule train {
  place g.features in device
  place g.features in host zero_copy
  overlap gather depth 2
  sort gather indices
}
