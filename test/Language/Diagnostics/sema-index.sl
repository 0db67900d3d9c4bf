// RUN: not sluice check %s 2>&1 | FileCheck %s
pipeline p {
  let n = 4
  log n[0]
  // CHECK: sema-index.sl:[[@LINE-1]]:7: error: only tensors, tables and lists can be indexed; this is int
  let x: f32[4, 4] = zeros()
  log x[1.5, 0]
  // CHECK: sema-index.sl:[[@LINE-1]]:9: error: an index is an int (or one 1-D int tensor of rows); this is f32
  log x[0, 1, 2]
  // CHECK: sema-index.sl:[[@LINE-1]]:7: error: 3 indices into f32[4, 4]
  let rows: f32[2] = zeros()
  let y = x[rows]
  // CHECK: sema-index.sl:[[@LINE-1]]:13: error: rows are picked by a 1-D int tensor; this is f32[2]
}
