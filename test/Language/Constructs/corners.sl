// Corners of the language that once went wrong, each checked for what it
// generates.
// RUN: sluice emit %s | FileCheck %s
// And it builds: `place F in device` reaches every read of G.features,
// whatever name it is read through (sluice-place-tables).
// RUN: sluice build %s -o %t
use nn

let G = load_graph("builtin:sbm")
let F = G.features

// A shape-inferring builtin as a function's result takes the result type.
fn blank() -> f32[4] {
  return zeros()
}

// A model instance as a parameter: its sizes are known only at run time.
fn apply(layer: nn.Linear, x: f32[?, 3]) -> f32[?, ?] {
  return layer(x)
}

// A size named through a Graph parameter is the argument's.
fn first(g: Graph, rows: int[?]) -> f32[?, g.features.cols] {
  return g.features[rows]
}

optimizer Shifted(lr: f32, start: f32 = 0.5) {
  state s = start
  fn update(w: f32[*], g: f32[*], t: int) {
    s = s + g
    w = w - lr * s
  }
}

model Tiny {
  k: f32[2] = zeros()
  fn forward(self, x: f32[2]) -> f32 {
    return sum(self.k * x)
  }
}

pipeline main {
  log b: sum(blank())
  let layer = nn.Linear(3, 5)
  let x: f32[2, 3] = ones()
  log a: sum(apply(layer, x))
  // f32[?, G.features.cols]: the same size as a gather from G.features.
  let rows = first(G, G.train)
  let again: f32[?, G.features.cols] = gather(G.features, G.train)
  log r: sum(rows) + sum(again)
  let small: i32 = 3
  log s: int(small)
  let flags: f32[3] = [1.0, 0.0, 1.0]
  let mask = flags > 0.5
  log bytes: mask.bytes
  let counts = int(flags)
  log z: sum(zeros_like(counts))
  let net = Tiny()
  let opt = Shifted(net, lr: 0.1)
  let two: f32[2] = ones()
  opt.step(net(two))
  log k: sum(net.k)
}

schedule main {
  place F in device
}

// `pipeline main` is not the entry point's symbol.
// CHECK-LABEL: func.func @pipeline.main()
// CHECK-DAG: %[[HALF:.*]] = arith.constant dense<5.000000e-01> : tensor<2xf32>
// CHECK: %[[G:.*]] = sluice.load_graph
// return zeros(): a filled f32[4].
// CHECK: %[[BLANK:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<4xf32>) -> tensor<4xf32>
// CHECK: linalg.reduce ins(%[[BLANK]]
// CHECK: sluice.log "b"
// A Linear(3, 5) through a model-typed parameter: still 5x3 weights.
// CHECK: sluice.random_uniform {{.*}} : tensor<5x3xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3x5xf32>)
// CHECK: sluice.log "a"
// The alias F places G.features.
// CHECK: sluice.field %[[G]]["features"] : !sluice.graph -> !sluice.table<?x?xf32, device>
// CHECK: sluice.log "r"
// An i32 literal, converted for the log.
// CHECK: sluice.log "s" %c3_i64 : i64
// A bool tensor takes a byte per element.
// CHECK: sluice.log "bytes" %c3_i64 : i64
// zeros_like of an int tensor is filled with the integer 0.
// CHECK: linalg.fill ins(%c0_i64 : i64) outs(%{{.*}} : tensor<3xi64>)
// CHECK: sluice.log "z"
// The state starts at the constructor's `start`.
// CHECK: %[[G2:.*]] = arith.mulf %{{.*}}, %{{.*}} : tensor<2xf32>
// CHECK: arith.addf %[[G2]], %[[HALF]] : tensor<2xf32>
// CHECK: sluice.log "k"
// CHECK: func.func @main() -> i32
// CHECK: call @pipeline.main()
