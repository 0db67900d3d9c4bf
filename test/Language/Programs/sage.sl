// Target program 1 of LANGUAGE-SKETCH.md: GraphSAGE on a graph whose features
// stay in host memory. It checks and generates `sluice` IR in full; the
// schedule's directives show at the `lowered` stage.
// RUN: sluice check %s
// RUN: sluice emit %s | FileCheck %s
// RUN: sluice emit --target=cuda --stage=lowered %s | FileCheck %s --check-prefix=LOWERED
// RUN: sluice emit --stage=lowered %s | FileCheck %s --check-prefix=CPU
//
// The parameters become module-level `sluice.param`s.
// CHECK-DAG: sluice.param @graph : !sluice.str = "builtin:sbm?nodes=200000&features=100&classes=47"
// CHECK-DAG: sluice.param @epochs : i64 = 5
// CHECK-DAG: sluice.param @batch : i64 = 1024
// CHECK-DAG: sluice.param @fanout : tensor<?xi64> = dense<[15, 10]> : tensor<2xi64>
// CHECK-DAG: sluice.param @lr : f32 = 3.000000e-03
// CHECK-LABEL: func.func @train()
// CHECK: %[[FANOUT:.*]] = sluice.param_value @fanout
// CHECK: %[[G:.*]] = sluice.load_graph
// `place G.features in host zero_copy` sets the table's placement.
// CHECK: %[[F:.*]] = sluice.field %[[G]]["features"] : !sluice.graph -> !sluice.table<?x?xf32, host_zero_copy>
// Two SageConv layers of two Linear layers each: weights and biases, each
// with its own seed; 256 is static, the feature and class counts are not.
// CHECK: sluice.random_uniform {{.*}} seed 0 {{.*}} : tensor<256x?xf32>
// CHECK: sluice.random_uniform {{.*}} seed 1 : tensor<256xf32>
// CHECK: sluice.random_uniform {{.*}} seed 2 {{.*}} : tensor<256x?xf32>
// CHECK: sluice.random_uniform {{.*}} seed 3 : tensor<256xf32>
// CHECK: sluice.random_uniform {{.*}} seed 4 {{.*}} : tensor<?x256xf32>
// CHECK: sluice.random_uniform {{.*}} seed 5 {{.*}} : tensor<?xf32>
// CHECK: sluice.random_uniform {{.*}} seed 6 {{.*}} : tensor<?x256xf32>
// CHECK: sluice.random_uniform {{.*}} seed 7 {{.*}} : tensor<?xf32>
// The epoch loop reshuffles the training nodes, then walks the batches.
// CHECK: scf.for
// CHECK: %[[TRAIN:.*]] = sluice.field %[[G]]["train"]
// CHECK: %[[ORDER:.*]] = sluice.shuffle %[[TRAIN]] seed
// CHECK: scf.for
// CHECK: %[[SEEDS:.*]] = tensor.extract_slice %[[ORDER]]
// CHECK: %[[BLOCKS:.*]] = sluice.sample %[[G]], %[[SEEDS]], %[[FANOUT]] seed
// CHECK: %[[INPUTS:.*]] = sluice.field %[[BLOCKS]]["inputs"]
// CHECK: %[[X:.*]] = sluice.gather %[[F]][%[[INPUTS]]] : !sluice.table<?x?xf32, host_zero_copy>
// CHECK: sluice.block_layer %[[BLOCKS]][%c0]
// CHECK: sluice.aggregate_mean {{.*}}, %[[X]]
// CHECK: linalg.matmul
// CHECK: sluice.block_layer %[[BLOCKS]][%c1]
// CHECK: sluice.aggregate_mean
// The loss: log-softmax picked at the labels of the seeds, averaged.
// CHECK: %[[LABELS:.*]] = sluice.field %[[G]]["labels"]
// CHECK: %[[Y:.*]] = sluice.gather %[[LABELS]][%[[SEEDS]]] : tensor<?xi64>, tensor<?xi64>
// CHECK: sluice.take_along {{.*}}, %[[Y]]
// CHECK: %[[LOSS:.*]] = arith.negf %{{.*}} : f32
// opt.step(loss), differentiated right after code generation: the gradient
// flows back through the second layer's aggregation (the first aggregates
// data, which needs no gradient) ...
// CHECK: sluice.aggregate_mean_grad
// CHECK-NOT: sluice.aggregate_mean_grad
// ... and Adam's rule updates each of the eight parameters.
// CHECK-COUNT-4: math.sqrt {{.*}} : tensor<{{.*}}>
// CHECK: sluice.log "loss" %[[LOSS]] : f32
// After the batches: accuracy on the validation nodes.
// CHECK: sluice.field %[[G]]["valid"]
// CHECK: sluice.argmax
// CHECK: sluice.log "accuracy"
// CHECK-LABEL: func.func @main() -> i32
// CHECK: call @train()
//
// `sort gather indices` in the schedule: for CUDA the feature gather reads
// rows in sorted, distinct order and scatters them back; rows are
// PCIe-aligned. On the CPU, where sorting does not pay, the ids are used as
// given.
// CPU-NOT: sluice.sort_unique
// CPU: sluice.gather %{{.*}} aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>
// CPU-NOT: sluice.sort_unique
// LOWERED: %[[U:.*]], %[[INV:.*]] = sluice.sort_unique
// LOWERED: %[[ROWS:.*]] = sluice.gather %{{.*}}[%[[U]]] aligned<rotate, 128> : !sluice.table<?x?xf32, host_zero_copy>
// LOWERED: sluice.gather %[[ROWS]][%[[INV]]]

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
