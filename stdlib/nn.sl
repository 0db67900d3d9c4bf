// nn: layers and losses, written in Sluice (`use nn`).
//
// Initialization follows PyTorch's defaults, so that a model here starts
// where the same model in PyTorch would.

// The bound of PyTorch's default Linear initialization: 1 / sqrt(fan_in).
fn init_bound(fan_in: int) -> f32 {
  // 1/sqrt(fan_in), and 0 without inputs (as PyTorch's), not 1/0.
  return f32(min(fan_in, 1)) / sqrt(f32(max(fan_in, 1)))
}

// y = x W^T + b; weight and bias ~ U(-1/sqrt(inputs), 1/sqrt(inputs)), as
// torch.nn.Linear.
model Linear(inputs: int, outputs: int) {
  weight: f32[outputs, inputs] = uniform(-init_bound(inputs), init_bound(inputs))
  bias: f32[outputs] = uniform(-init_bound(inputs), init_bound(inputs))

  fn forward(self, x: f32[?, inputs]) -> f32[?, outputs] {
    return x @ transpose(self.weight) + self.bias
  }
}

// Two hidden layers with ReLU: inputs -> hidden -> hidden -> outputs.
model Mlp(inputs: int, hidden: int, outputs: int) {
  l1 = Linear(inputs, hidden)
  l2 = Linear(hidden, hidden)
  l3 = Linear(hidden, outputs)

  fn forward(self, x: f32[?, inputs]) -> f32[?, outputs] {
    let h1 = relu(self.l1(x))
    let h2 = relu(self.l2(h1))
    return self.l3(h2)
  }
}

// GraphSAGE with the mean aggregator and a root weight (PyG's SAGEConv):
// h_dst = W_root x_dst + W_neigh mean(x_neighbors).
model SageConv(inputs: int, outputs: int) {
  root = Linear(inputs, outputs)
  neigh = Linear(inputs, outputs)

  fn forward(self, b: Block, x: f32[?, inputs]) -> f32[?, outputs] {
    return self.root(dst(b, x)) + self.neigh(aggregate_mean(b, x))
  }
}

// A lookup table of `count` vectors; weight ~ N(0, 1) (nn.Embedding).
model Embedding(count: int, dim: int) {
  weight: f32[count, dim] = normal(0.0, 1.0)

  fn forward(self, ids: int[?]) -> f32[?, dim] {
    return self.weight[ids]
  }
}

// Mean cross-entropy of logits against class labels.
fn cross_entropy(logits: f32[B, C], labels: int[B]) -> f32 {
  return -mean(take_along(log_softmax(logits), labels))
}

// Mean squared error.
fn mse(prediction: f32[B, D], target: f32[B, D]) -> f32 {
  let d = prediction - target
  return mean(d * d)
}

// Binary cross-entropy on logits, in the numerically stable form
// max(x, 0) - x t + log(1 + exp(-|x|)).
fn bce(logits: f32[B], target: f32[B]) -> f32 {
  let loss = max(logits, 0.0) - logits * target + log(1.0 + exp(-abs(logits)))
  return mean(loss)
}

// The share of rows whose largest logit is the label.
fn accuracy(logits: f32[B, C], labels: int[B]) -> f32 {
  return mean(f32(argmax(logits) == labels))
}
