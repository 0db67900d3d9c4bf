// RUN: not sluice check %s 2>&1 | FileCheck %s
let D = load_dataset("builtin:blobs")
pipeline p {
  for i in 0..10 select hardest(0.5, 3) by loss {
  // CHECK: sema-select-hardest.sl:[[@LINE-1]]:18: error: `select hardest` chooses among fixed batches: loop over `batches(...)`
    let loss = 1.0
  }
  for b in batches(D.train, 64, shuffle: true) select hardest(0.5, 3) by loss {
  // CHECK: sema-select-hardest.sl:[[@LINE-1]]:42: error: `select hardest` ranks fixed batches; they cannot be shuffled
    let loss = 1.0
  }
  for b in batches(D.train, 64) select hardest(1.5, 3) by loss {
  // CHECK: sema-select-hardest.sl:[[@LINE-1]]:48: error: `delta` is the share of batches to revisit and must lie in (0, 1]
    let loss = 1.0
  }
  for b in batches(D.train, 64) select hardest(1e-50, 3) by loss {
  // CHECK: sema-select-hardest.sl:[[@LINE-1]]:48: error: `delta` is the share of batches to revisit and must lie in (0, 1]
    let loss = 1.0
  }
  for b in batches(D.train, 64) select hardest(0.5) by loss {
  // CHECK: sema-select-hardest.sl:[[@LINE-1]]:33: error: `select hardest` is missing `epochs`
    let loss = 1.0
  }
  for b in batches(D.train, 64) select hardest(0.5, 3) by los {
  // CHECK: sema-select-hardest.sl:[[@LINE-1]]:59: error: `by los`: the loop body defines no `los`
  // CHECK: note: did you mean `loss`?
    let loss = 1.0
  }
  for b in batches(D.train, 64) select hardest(0.5, 3) by n {
  // CHECK: sema-select-hardest.sl:[[@LINE-1]]:59: error: batches are ranked by a float loss, but `n` is int
  // CHECK: sema-select-hardest.sl:[[@LINE+1]]:9: note: defined here
    let n = 3
  }
}
