// RUN: not sluice check %s 2>&1 | FileCheck %s
let G = load_graph("builtin:sbm")
pipeline p {
  let x = gather(G.features, 3)
  // CHECK: sema-builtin-arguments.sl:[[@LINE-1]]:30: error: `gather` expects a 1-D int tensor of row indices; this is int
  let b = sample(G, G.train, 10)
  // CHECK: sema-builtin-arguments.sl:[[@LINE-1]]:30: error: `sample` expects the per-layer fanouts (an [int]); this is int
  let s = softmax(2.0)
  // CHECK: sema-builtin-arguments.sl:[[@LINE-1]]:19: error: `softmax` expects a float tensor (normalized over its last axis); this is f32
  let g = load_graph(42)
  // CHECK: sema-builtin-arguments.sl:[[@LINE-1]]:22: error: `load_graph` expects a path (a file, directory or `builtin:` source); this is int
  let r = relu
  // CHECK: sema-builtin-arguments.sl:[[@LINE-1]]:11: error: builtin `relu` must be called
}
