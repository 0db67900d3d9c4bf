// Batches of an index list gather rows on the CPU; the last batch is short.
// List literals are vectors in arithmetic.
// RUN: sluice build %s -o %t
// RUN: %t | FileCheck %s
pipeline p {
  let order: int[5] = [4, 3, 2, 1, 0]
  let grid: f32[2, 5] = ones()
  let m = transpose(grid * [1.0, 2.0, 3.0, 4.0, 5.0])   // row i is (i+1, i+1)
  for b in batches(order, 2) {
    log rows: sum(m[b] * [1.0, 10.0])
  }
}
// Rows 4 and 3: 11 * (5 + 4); rows 2 and 1: 11 * (3 + 2); row 0: 11.
// CHECK: rows: 99
// CHECK-NEXT: rows: 55
// CHECK-NEXT: rows: 11
