// Each builtin says what it expects of each argument, at that argument.
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
model Net {
  w: f32[4] = zeros()
}
optimizer Sgd(lr: f32) {
  fn update(w: f32[*], g: f32[*], t: int) {
    w = w - lr * g
  }
}
pipeline p {
  let G = load_graph("builtin:sbm")
  let D = load_dataset("builtin:blobs")
  let x: f32[4, 4] = zeros()
  let v: f32[4] = zeros()
  let kv: f32[2, 2, 4, 8] = zeros()
  let m = Net()
  let o = Sgd(m, lr: 0.1)
  let B = sample(G, G.train, [2, 2])

  let b1 = batches(1.5, 32)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:20: error: `batches` expects a 1-D int tensor of indices; this is f32
  let b2 = batches(G.train, 2.5)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:29: error: `batches` expects the batch size (an int); this is f32
  let b3 = batches(G.train, 32, shuffle: 1)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:42: error: `batches` expects a bool; this is int
  let b4 = batches(G.train, 32, seed: 1.5)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:39: error: `batches` expects an int seed; this is f32
  let s1 = sample(D, G.train, [2])
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:19: error: `sample` expects a Graph; this is Dataset
  let s2 = sample(G, 3, [2])
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:22: error: `sample` expects the seed nodes (a 1-D int tensor); this is int
  let s3 = sample(G, G.train, [2], seed: true)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:42: error: `sample` expects an int seed; this is bool
  let l1 = B.layer(1.5)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:20: error: `Blocks.layer` expects a layer number (an int); this is f32
  o.step(v)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:10: error: `Optimizer.step` expects a float loss (a scalar; reduce a tensor with `mean`); this is f32[4]
  let g1 = gather(3, G.train)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:19: error: `gather` expects a table (or tensor) to gather rows from; this is int
  let r1 = relu(3)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:17: error: `relu` expects a float or float tensor; this is int
  let m1 = mean(G.train)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:17: error: `mean` expects a float tensor; this is int[?]
  let m2 = sum(true)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:16: error: `sum` expects a tensor; this is bool
  let t1 = transpose(v)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:22: error: `transpose` expects a matrix (a rank-2 tensor); this is f32[4]
  let a1 = argmax(G.train)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:19: error: `argmax` expects a float tensor (reduced over its last axis); this is int[?]
  let t2 = take_along(v, G.train)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:23: error: `take_along` expects a float matrix; this is f32[4]
  let t3 = take_along(x, v)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:26: error: `take_along` expects a 1-D int tensor with one column per row; this is f32[4]
  let a2 = aggregate_mean(G, x)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:27: error: `aggregate_mean` expects a Block (`b.layer(i)`); this is Graph
  let a3 = aggregate_mean(B.layer(0), v)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:39: error: `aggregate_mean` expects node features (a rank-2 float tensor); this is f32[4]
  let u1: f32[2] = uniform("low", 1.0)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:28: error: `uniform` expects a float; this is str
  let u2: f32[2] = uniform(0.0, 1.0, seed: 1.5)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:44: error: `uniform` expects an int seed; this is f32
  let z1 = zeros_like(1.0)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:23: error: `zeros_like` expects a tensor; this is f32
  let c1 = f32("one")
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:16: error: `f32` expects a number or tensor; this is str
  let p1 = pow(2.0, "two")
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:21: error: `pow` expects a number or float tensor; this is str
  let n1 = len(3)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:16: error: `len` expects a tensor or list; this is int
  let k1 = merge_layers(v, 0)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:25: error: `merge_layers` expects a KV cache f32[L, 2, T, D]; this is f32[4]
  let k2 = merge_layers(kv, 1.5)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:29: error: `merge_layers` expects the first merged layer (an int); this is f32
  let k3 = merge_layers(kv, 1, t: true)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:35: error: `merge_layers` expects the interpolation t (an f32 in [0, 1]); this is bool
  let k4 = merge_layers(kv, 1, gamma: "high")
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:39: error: `merge_layers` expects the retention threshold gamma (an f32); this is str
  let c2 = self_consistency(v, m, x)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:29: error: `self_consistency` expects the marginal network (a model); this is f32[4]
  let c3 = self_consistency(m, v, x)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:32: error: `self_consistency` expects the conditional network (a model); this is f32[4]
  let c4 = self_consistency(m, m, v)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:35: error: `self_consistency` expects a batch of samples (a rank-2 tensor); this is f32[4]
  let c5 = self_consistency(m, m, x, orders: 1.5)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:46: error: `self_consistency` expects the number of orders (an int); this is f32
  let c6 = self_consistency(m, m, x, seed: "s")
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:44: error: `self_consistency` expects the seed of the random orders (an int); this is str
  let c7 = conditional_nll(v, x)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:28: error: `conditional_nll` expects the conditional network (a model); this is f32[4]
  let c8 = conditional_nll(m, v)
  // CHECK: sema-builtin-argument-types.sl:[[@LINE-1]]:31: error: `conditional_nll` expects a batch of samples (a rank-2 tensor); this is f32[4]
}
