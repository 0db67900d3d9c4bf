// sluice-interchange-reductions-inward: parallel dimensions come first, so
// that a column sum lowers to one parallel loop (one kernel) whose
// iterations each reduce a column, not to a loop of parallel loops.
// RUN: sluice-opt %s -sluice-interchange-reductions-inward | FileCheck %s
// RUN: sluice-opt %s -sluice-interchange-reductions-inward -one-shot-bufferize="bufferize-function-boundaries" \
// RUN:   -convert-linalg-to-parallel-loops | FileCheck %s --check-prefix=LOOPS

// A named reduction over the rows: generalized, then its two dimensions
// swapped; the input is read transposed, the body is unchanged.
// CHECK-DAG: #[[$TRANSPOSED:map[0-9]*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[$FIRST:map[0-9]*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$D2D0D1:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d2, d0)>
// CHECK-DAG: #[[$D0:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @column_sums
// CHECK: linalg.generic {indexing_maps = [#[[$TRANSPOSED]], #[[$FIRST]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%{{.*}} : tensor<?x256xf32>) outs(%{{.*}} : tensor<256xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[IN]], %[[ACC]] : f32
// CHECK-NEXT: linalg.yield %[[SUM]]
// Lowered: a parallel loop over the 256 columns around a sequential loop
// over the rows, in the order the rows were summed before.
// LOOPS-LABEL: func.func @column_sums
// LOOPS: scf.parallel (%[[COLUMN:.*]]) = (%{{.*}}) to (%c256{{.*}})
// LOOPS-NEXT: scf.for %[[ROW:.*]] = %c0{{.*}} to %{{.*}} step %c1
// LOOPS-NEXT: memref.load %{{.*}}[%[[ROW]], %[[COLUMN]]]
// LOOPS-NOT: scf.parallel
// LOOPS: return
func.func @column_sums(%x: tensor<?x256xf32>, %zeros: tensor<256xf32>) -> tensor<256xf32> {
  %sums = linalg.reduce ins(%x : tensor<?x256xf32>) outs(%zeros : tensor<256xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %sums : tensor<256xf32>
}

// A generic op with two reductions around a parallel dimension: the
// parallel one first, the reductions after it in their own order.
// CHECK-LABEL: func.func @two_reductions
// CHECK: linalg.generic {indexing_maps = [#[[$D2D0D1]], #[[$D0]]], iterator_types = ["parallel", "reduction", "reduction"]}
func.func @two_reductions(%x: tensor<4x5x6xf32>, %zeros: tensor<6xf32>) -> tensor<6xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, j, k)>, affine_map<(i, j, k) -> (k)>],
                       iterator_types = ["reduction", "reduction", "parallel"]}
      ins(%x : tensor<4x5x6xf32>) outs(%zeros : tensor<6xf32>) {
    ^bb0(%in: f32, %acc: f32):
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
  } -> tensor<6xf32>
  return %r : tensor<6xf32>
}

// Left alone: a matrix product (its reduction is already innermost), a full
// reduction (nothing parallel) and a row sum (already parallel first).
// CHECK-LABEL: func.func @unchanged
// CHECK: linalg.matmul
// CHECK: linalg.reduce ins(%{{.*}} : tensor<8xf32>) outs(%{{.*}} : tensor<f32>) dimensions = [0]
// CHECK: linalg.reduce ins(%{{.*}} : tensor<8x4xf32>) outs(%{{.*}} : tensor<8xf32>) dimensions = [1]
// CHECK-NOT: linalg.generic
func.func @unchanged(%a: tensor<8x4xf32>, %b: tensor<4x2xf32>, %c: tensor<8x2xf32>, %v: tensor<8xf32>,
                     %s: tensor<f32>, %rows: tensor<8xf32>) -> (tensor<8x2xf32>, tensor<f32>, tensor<8xf32>) {
  %p = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x2xf32>) outs(%c : tensor<8x2xf32>) -> tensor<8x2xf32>
  %total = linalg.reduce ins(%v : tensor<8xf32>) outs(%s : tensor<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %t = arith.addf %in, %acc : f32
      linalg.yield %t : f32
    }
  %row = linalg.reduce ins(%a : tensor<8x4xf32>) outs(%rows : tensor<8xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %t = arith.addf %in, %acc : f32
      linalg.yield %t : f32
    }
  return %p, %total, %row : tensor<8x2xf32>, tensor<f32>, tensor<8xf32>
}
