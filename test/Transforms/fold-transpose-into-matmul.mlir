// sluice-fold-transpose-into-matmul: transposed operands become maps.
// RUN: sluice-opt %s -sluice-fold-transpose-into-matmul -split-input-file | FileCheck %s

// Both operands transposed: the transposes disappear.
// CHECK-DAG: #[[$KM:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[$NK:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$MN:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @both
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[Y:.*]]: tensor<2x4xf32>, %[[C:.*]]: tensor<8x2xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[R:.*]] = linalg.matmul indexing_maps = [#[[$KM]], #[[$NK]], #[[$MN]]] ins(%[[X]], %[[Y]] : tensor<4x8xf32>, tensor<2x4xf32>) outs(%[[C]] : tensor<8x2xf32>) -> tensor<8x2xf32>
// CHECK: return %[[R]]
func.func @both(%x: tensor<4x8xf32>, %y: tensor<2x4xf32>, %c: tensor<8x2xf32>) -> tensor<8x2xf32> {
  %e1 = tensor.empty() : tensor<8x4xf32>
  %tx = linalg.transpose ins(%x : tensor<4x8xf32>) outs(%e1 : tensor<8x4xf32>) permutation = [1, 0]
  %e2 = tensor.empty() : tensor<4x2xf32>
  %ty = linalg.transpose ins(%y : tensor<2x4xf32>) outs(%e2 : tensor<4x2xf32>) permutation = [1, 0]
  %r = linalg.matmul ins(%tx, %ty : tensor<8x4xf32>, tensor<4x2xf32>) outs(%c : tensor<8x2xf32>) -> tensor<8x2xf32>
  return %r : tensor<8x2xf32>
}

// -----

// One operand; a transpose with another reader stays for that reader.
// CHECK-LABEL: func.func @shared
// CHECK: %[[T:.*]] = linalg.transpose
// CHECK: linalg.matmul indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}] ins(%arg0, %arg1 :
// CHECK: return {{.*}}, %[[T]]
func.func @shared(%x: tensor<4x8xf32>, %y: tensor<4x2xf32>, %c: tensor<8x2xf32>) -> (tensor<8x2xf32>, tensor<8x4xf32>) {
  %e = tensor.empty() : tensor<8x4xf32>
  %tx = linalg.transpose ins(%x : tensor<4x8xf32>) outs(%e : tensor<8x4xf32>) permutation = [1, 0]
  %r = linalg.matmul ins(%tx, %y : tensor<8x4xf32>, tensor<4x2xf32>) outs(%c : tensor<8x2xf32>) -> tensor<8x2xf32>
  return %r, %tx : tensor<8x2xf32>, tensor<8x4xf32>
}

// -----

// No transposed operand, or maps already given: unchanged.
// CHECK-LABEL: func.func @plain
// CHECK: linalg.matmul ins(%arg0, %arg1
func.func @plain(%x: tensor<8x4xf32>, %y: tensor<4x2xf32>, %c: tensor<8x2xf32>) -> tensor<8x2xf32> {
  %r = linalg.matmul ins(%x, %y : tensor<8x4xf32>, tensor<4x2xf32>) outs(%c : tensor<8x2xf32>) -> tensor<8x2xf32>
  return %r : tensor<8x2xf32>
}
