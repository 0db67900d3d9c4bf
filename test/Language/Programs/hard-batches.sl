// Target program 2 of LANGUAGE-SKETCH.md: loss-ranked batches. The Mlp of
// the sketch takes its sizes as a list; here it is nn.Mlp(in, hidden, out).
// RUN: sluice check %s
// RUN: sluice emit %s | FileCheck %s
// It also builds and trains on the CPU, on the built-in blobs dataset (made
// smaller here to keep the test fast): the test accuracy after three epochs
// is far above chance (1/4), and the same seed gives the same run.
// RUN: sluice build %s -o %t
// RUN: %t --data "builtin:blobs?samples=2000&features=16&classes=4&hard=0.2" --epochs 3 > %t.out
// RUN: %t --data "builtin:blobs?samples=2000&features=16&classes=4&hard=0.2" --epochs 3 > %t.again
// RUN: diff %t.out %t.again
// RUN: python3 -c "import sys; v = float(open(sys.argv[1]).read().split(': ')[1]); sys.exit(0 if v >= 0.8 else 'accuracy %%g' %% v)" %t.out
// The data source is a flag like any other parameter.
// RUN: %t --help | FileCheck %s --check-prefix=HELP
// HELP: --data <str>  (default "builtin:blobs?samples=20000&features=64&classes=10&hard=0.2")
// HELP: --delta <float>  (default 0.5)
// RUN: not %t --data "builtin:blobs?samples=oops" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: sluice: error: {{.*}}hard-batches.sl:{{[0-9]+}}:9: builtin:blobs?samples=oops: 'samples' must be an integer from 10 to 67108864, not 'oops'
//
// CHECK: sluice.param @delta : f32 = 5.000000e-01
// CHECK-LABEL: func.func @train()
// CHECK: %[[DELTA:.*]] = sluice.param_value @delta : f32
// CHECK: %[[EPOCHS:.*]] = sluice.param_value @epochs : i64
// CHECK: %[[D:.*]] = sluice.load_dataset
// CHECK: %[[F:.*]] = sluice.field %[[D]]["features"]
// N fixed batches of 512 (no shuffle), delta as f64 and epochs as a count.
// CHECK-DAG: %[[TRAIN:.*]] = sluice.field %[[D]]["train"]
// CHECK-DAG: %[[DELTA64:.*]] = arith.extf %[[DELTA]] : f32 to f64
// CHECK-DAG: %[[E:.*]] = arith.index_cast %[[EPOCHS]] : i64 to index
// CHECK: %[[N:.*]] = arith.ceildivsi %{{.*}}, %c512
// delta is checked before any training: in (0, 1], selecting some batch.
// CHECK: arith.fptosi
// CHECK: func.call @sluice_rt_select_error
// The first pass trains every batch and records its loss.
// CHECK: scf.for %[[I:.*]] = %c0 to %[[N]]
// CHECK-NOT: sluice.select_hardest
// The step: the gradient of the last layer's weight, h^T @ g.
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<256x?xf32>, tensor<?x?xf32>) outs(%{{.*}} : tensor<256x?xf32>)
// CHECK: sluice.record_loss %{{.*}} into %{{.*}}[%[[I]]]
// Then ceil((E N - N) / K) passes of K = max(floor(delta N), 1) batches,
// the last one cut to the step budget.
// CHECK: %[[TOTAL:.*]] = arith.muli %[[E]], %[[N]]
// CHECK: %[[REST:.*]] = arith.subi %[[TOTAL]], %[[N]]
// CHECK: %[[REMAINING:.*]] = arith.maxsi %[[REST]], %c0
// CHECK: %[[K:.*]] = arith.maxsi %{{.*}}, %c1
// CHECK: %[[PASSES:.*]] = arith.ceildivsi %[[REMAINING]], %[[K]]
// CHECK: scf.for %[[P:.*]] = %c0 to %[[PASSES]]
// CHECK: %[[SEL:.*]] = sluice.select_hardest %{{.*}} delta %[[DELTA64]] : tensor<?xf32> -> tensor<?xindex>
// CHECK: %[[SPENT:.*]] = arith.muli %[[P]], %[[K]]
// CHECK: %[[LEFT:.*]] = arith.subi %[[REMAINING]], %[[SPENT]]
// CHECK: %[[STEPS:.*]] = arith.minsi %[[K]], %[[LEFT]]
// CHECK: scf.for %[[J:.*]] = %c0 to %[[STEPS]]
// CHECK: %[[B:.*]] = tensor.extract %[[SEL]][%[[J]]]
// The step: the gradient of the last layer's weight, h^T @ g.
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<256x?xf32>, tensor<?x?xf32>) outs(%{{.*}} : tensor<256x?xf32>)
// CHECK: sluice.record_loss %{{.*}} into %{{.*}}[%[[B]]]
// Test accuracy at the end.
// CHECK: sluice.field %[[D]]["test"]
// CHECK: sluice.log "accuracy"

use nn
use optim

param data: path = "builtin:blobs?samples=20000&features=64&classes=10&hard=0.2"
param delta: f32 = 0.5
param epochs: int = 20

let D = load_dataset(data)

model Mlp {
  body = nn.Mlp(D.features.cols, 256, D.num_classes)
  fn forward(self, x: f32[?, D.features.cols]) -> f32[?, D.num_classes] { return self.body(x) }
}

pipeline train {
  let net = Mlp()
  let opt = optim.Sgd(net, lr: 0.005, momentum: 0.9)
  for b in batches(D.train, 512) select hardest(delta, epochs) by loss {
    let loss = nn.cross_entropy(net.forward(D.features[b]), D.labels[b])
    opt.step(loss)
  }
  log accuracy: nn.accuracy(net.forward(D.features[D.test]), D.labels[D.test])
}
