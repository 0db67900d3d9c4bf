// Target program 1 of LANGUAGE-SKETCH.md: GraphSAGE on a graph whose
// features stay in host memory, trained with neighbor sampling. The default
// graph is built in (a planted-partition graph, no download); pass
// `--graph DIR` for a graph on disk (docs/language.md, "Graphs on disk").

use nn
use optim

param graph: path = "builtin:sbm?nodes=200000&features=100&classes=47"
param epochs: int = 5
param batch: int = 1024
param fanout: [int] = [15, 10]
param lr: f32 = 0.003

let G = load_graph(graph)          // CSR topology, labels, splits; G.features is a table

model Sage {
  l1 = nn.SageConv(G.features.cols, 256)
  l2 = nn.SageConv(256, G.num_classes)

  fn forward(self, b: Blocks, x: f32[?, G.features.cols]) -> f32[?, G.num_classes] {
    let h = relu(self.l1(b.layer(0), x))
    return self.l2(b.layer(1), h)
  }
}

pipeline train {
  let net = Sage()
  let opt = optim.Adam(net, lr)
  for epoch in 0..epochs {
    for seeds in batches(G.train, batch, shuffle: true) {
      let b = sample(G, seeds, fanout)
      let x = gather(G.features, b.inputs)      // the compiler makes this zero-copy + aligned
      let loss = nn.cross_entropy(net.forward(b, x), G.labels[seeds])
      opt.step(loss)
      log loss
    }
    let vb = sample(G, G.valid, fanout)
    log accuracy: nn.accuracy(net.forward(vb, gather(G.features, vb.inputs)), G.labels[G.valid])
  }
}

schedule train {                   // optional: without it the placement pass decides
  place G.features in host zero_copy
  overlap gather depth 2
  sort gather indices
}
