// A batch loop that samples: what sluice-sample-ahead rewrites.
let G = load_graph("builtin:sbm?nodes=300&features=4&classes=3")
param fanout: [int] = [4]

pipeline p {
  for seeds in batches(G.train, 4, shuffle: true) {
    let b = sample(G, seeds, fanout)
    log inputs: len(b.inputs)
    log dst: b.layer(0).num_dst
  }
}
