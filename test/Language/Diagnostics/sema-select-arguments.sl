// `select hardest` takes exactly (delta: f32, epochs: int).
// RUN: not sluice check %s 2>&1 | FileCheck %s --implicit-check-not=error:
let D = load_dataset("builtin:blobs")
pipeline p {
  for b in batches(D.train, 64) select hardest(0.5, 3, 1) by loss {
  // CHECK: sema-select-arguments.sl:[[@LINE-1]]:56: error: `select hardest` takes two arguments: (delta, epochs)
    let loss = 1.0
  }
  for b in batches(D.train, 64) select hardest(0.5, epoch: 3) by loss {
  // CHECK: sema-select-arguments.sl:[[@LINE-1]]:53: error: `select hardest` has no argument `epoch`
  // CHECK: sema-select-arguments.sl:[[@LINE-2]]:53: note: did you mean `epochs`?
  // CHECK: sema-select-arguments.sl:[[@LINE-3]]:33: error: `select hardest` is missing `epochs`
    let loss = 1.0
  }
  for b in batches(D.train, 64) select hardest(0.5, 2.5) by loss {
  // CHECK: sema-select-arguments.sl:[[@LINE-1]]:53: error: `epochs` of `select hardest` is int, not f32
    let loss = 1.0
  }
  for b in batches(D.train, 64) select hardest(delta: true, epochs: 2) by loss {
  // CHECK: sema-select-arguments.sl:[[@LINE-1]]:55: error: `delta` of `select hardest` is f32, not bool
    let loss = 1.0
  }
}
