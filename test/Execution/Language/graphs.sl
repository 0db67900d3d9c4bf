// Graphs on the CPU: a graph directory of .npy files (written by
// Inputs/graphs.py), sluice.sample's blocks, aggregate_mean over two layers,
// dst, and the gradient through aggregate_mean, all checked against the
// float64 re-implementation of the ops' descriptions in Inputs/graphs.py
// (the gradient against central finite differences).
// RUN: rm -rf %t.graph && python3 %S/Inputs/graphs.py write %t.graph
// RUN: sluice build %s -o %t
// RUN: %t --graph %t.graph > %t.out
// RUN: python3 %S/Inputs/graphs.py check %t.graph %t.out
// Aggregation compiled as loops over the blocks' CSR arrays (what CUDA
// builds use) gives the same bits as the runtime's function.
// RUN: sluice emit --stage=lowered %s -o %t.lowered.mlir
// RUN: sluice-opt %t.lowered.mlir --sluice-lower-to-cpu=aggregation=loops -o %t.loops.mlir
// RUN: sluice build %t.loops.mlir -o %t.loops
// RUN: %t.loops --graph %t.graph > %t.loops.out
// RUN: cmp %t.out %t.loops.out
//
// A missing directory or file is a run-time error naming it.
// RUN: not %t --graph %t.missing 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: sluice: error: {{.*}}graphs.sl:[[@LINE+24]]:11: {{.*}}.missing/indptr.npy
// A fanout below -1 stops the program at the sample.
// RUN: not %t --graph %t.graph --fanout=2,-3 2>&1 | FileCheck %s --check-prefix=FANOUT
// FANOUT: sluice: error: {{.*}}graphs.sl:[[@LINE+25]]:11: fanout -3 of layer 1 is below -1 (-1 keeps every neighbor)
// A list flag that is not a list of integers is rejected before any work.
// RUN: not %t --graph %t.graph --fanout 2,x 2>&1 | FileCheck %s --check-prefix=LIST
// LIST: error: --fanout expects integers separated by commas, not '2,x'
param graph: path = "missing"
param fanout: [int] = [2, 3]

model Probe {
  k: f32[3, 2] = uniform(-1.0, 1.0)
  fn forward(self) -> f32[3, 2] {
    return self.k
  }
}

optimizer Step {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - g
  }
}

pipeline p {
  let G = load_graph(graph)
  log nodes: G.num_nodes
  log edges: G.num_edges
  log classes: G.num_classes
  let b = sample(G, G.train, fanout, seed: 5)
  let inputs = b.inputs
  for i in 0..len(inputs) {
    log input: inputs[i]
  }
  for l in 0..2 {
    log src: b.layer(l).num_src
    log dst: b.layer(l).num_dst
  }
  let x: f32[?, ?] = gather(G.features, b.inputs)
  let h = aggregate_mean(b.layer(0), x)
  for i in 0..b.layer(0).num_dst {
    for j in 0..3 {
      log h: h[i, j]
    }
  }
  let root = dst(b.layer(0), x)
  for i in 0..b.layer(0).num_dst {
    for j in 0..3 {
      log root: root[i, j]
    }
  }
  let h2 = aggregate_mean(b.layer(1), h)
  for i in 0..b.layer(1).num_dst {
    for j in 0..3 {
      log h2: h2[i, j]
    }
  }
  // The gradient of sum(tanh(mean over layer 0 of x k)) with respect to k.
  let probe = Probe()
  let step = Step(probe)
  let k = probe()
  for i in 0..3 {
    for j in 0..2 {
      log k: k[i, j]
    }
  }
  step.step(sum(tanh(aggregate_mean(b.layer(0), x @ probe()))))
  let after = probe()
  for i in 0..3 {
    for j in 0..2 {
      log grad: k[i, j] - after[i, j]
    }
  }
}
