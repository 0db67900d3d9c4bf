// RUN: not sluice check %s 2>&1 | FileCheck %s
param batch: int = 32
param rate: f32 = 0.1
let G = load_graph("builtin:sbm")
pipeline p {
  let a: f32[bacth, 4] = zeros()
  // CHECK: sema-dimension.sl:[[@LINE-1]]:14: error: unknown dimension `bacth`
  // CHECK: note: did you mean `batch`?
  let b: f32[rate] = zeros()
  // CHECK: sema-dimension.sl:[[@LINE-1]]:14: error: dimension `rate` must be an int, but it is f32
  let c: f32[G.features] = zeros()
  // CHECK: sema-dimension.sl:[[@LINE-1]]:14: error: dimension `G.features` must be an int, but it is table<f32[G.num_nodes, G.features.cols]>
  let d: f32[G.features.cols, batch] = zeros()
  log sum(d)
}
