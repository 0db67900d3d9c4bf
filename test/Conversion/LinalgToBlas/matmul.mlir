// sluice-convert-linalg-to-blas: f32 matmuls on buffers with contiguous rows
// become sluice_rt_matmul_f32 calls; the rest is left for loops.
// RUN: sluice-opt %s -sluice-convert-linalg-to-blas -split-input-file | FileCheck %s
// A tensor program built for CUDA calls cuBLAS's entry point instead, with the
// same arguments.
// RUN: sluice-opt %s -sluice-convert-linalg-to-blas=callee=sluice_rt_gpu_matmul_f32 -split-input-file | FileCheck %s --check-prefix=GPU
// GPU-LABEL: func.func @dense
// GPU: call @sluice_rt_gpu_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c0_i64, %{{.*}}, %{{.*}}, %c0_i64_{{[0-9]+}}, %{{.*}}, %{{.*}}) : (i64, i64, i64, index, i64, i64, index, i64, i64, index, i64) -> ()
// GPU-NOT: sluice_rt_matmul_f32

// Sizes from the operands (M and N from C, K from A), each operand's row
// stride from its strided metadata and its address (a dense buffer's
// aligned pointer), and no transposes.
// CHECK-LABEL: func.func @dense
// CHECK-SAME: (%[[A:.*]]: memref<?x?xf32>, %[[B:.*]]: memref<?x256xf32>, %[[C:.*]]: memref<?x256xf32>)
// CHECK: %{{.*}}, %{{.*}}, %{{.*}}:2, %[[STRIDES_A:.*]]:2 = memref.extract_strided_metadata %[[A]]
// CHECK: %[[LDA:.*]] = arith.index_cast %[[STRIDES_A]]#0 : index to i64
// CHECK: %[[ADDR_A:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: memref.extract_strided_metadata %[[B]]
// CHECK: memref.extract_strided_metadata %[[C]]
// CHECK: %[[M:.*]] = memref.dim %[[C]], %c0
// CHECK: %[[N:.*]] = memref.dim %[[C]], %c1
// CHECK: %[[K:.*]] = memref.dim %[[A]], %c1
// CHECK: call @sluice_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[ADDR_A]], %[[LDA]], %c0_i64, %{{.*}}, %{{.*}}, %c0_i64_{{[0-9]+}}, %{{.*}}, %{{.*}}) : (i64, i64, i64, index, i64, i64, index, i64, i64, index, i64) -> ()
// CHECK-NOT: linalg.matmul
func.func @dense(%a: memref<?x?xf32>, %b: memref<?x256xf32>, %c: memref<?x256xf32>) {
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x256xf32>) outs(%c : memref<?x256xf32>)
  return
}

// -----

// A view with an offset and a row stride needs no copy: its address is the
// aligned base plus the offset's bytes, its leading dimension the row stride.
// CHECK-LABEL: func.func @view
// CHECK-SAME: (%[[A:.*]]: memref<4x8xf32, strided<[16, 1], offset: 3>>
// CHECK: %{{.*}}, %{{.*}}, %{{.*}}:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata %[[A]]
// CHECK: %[[LDA:.*]] = arith.index_cast %[[STRIDES]]#0
// CHECK: %[[PA:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: %{{.*}}, %[[OFF:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[A]]
// CHECK: %[[BYTES:.*]] = arith.muli %[[OFF]], %c4
// CHECK: %[[ADDR:.*]] = arith.addi %[[PA]], %[[BYTES]]
// CHECK: call @sluice_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[ADDR]], %[[LDA]],
func.func @view(%a: memref<4x8xf32, strided<[16, 1], offset: 3>>, %b: memref<8x2xf32>, %c: memref<4x2xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32, strided<[16, 1], offset: 3>>, memref<8x2xf32>) outs(%c : memref<4x2xf32>)
  return
}

// -----

// Transposed operands (the maps sluice-fold-transpose-into-matmul makes):
// K is A's rows when A is transposed, and the flags say which.
// CHECK-LABEL: func.func @transposed
// CHECK-SAME: (%[[A:.*]]: memref<8x4xf32>, %[[B:.*]]: memref<2x8xf32>, %[[C:.*]]: memref<4x2xf32>)
// CHECK: memref.dim %[[C]], %c0
// CHECK: memref.dim %[[C]], %c1
// CHECK: memref.dim %[[A]], %c0
// CHECK: call @sluice_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c1_i64, %{{.*}}, %{{.*}}, %c1_i64_{{[0-9]+}}, %{{.*}}, %{{.*}})
func.func @transposed(%a: memref<8x4xf32>, %b: memref<2x8xf32>, %c: memref<4x2xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : memref<8x4xf32>, memref<2x8xf32>) outs(%c : memref<4x2xf32>)
  return
}

// -----

// Not for BLAS: f64, a strided inner dimension, a transposed result,
// tensors.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: sluice_rt_matmul_f32
// CHECK-COUNT-4: linalg.matmul
func.func @left_alone(%a: memref<4x8xf64>, %b: memref<8x2xf64>, %c: memref<4x2xf64>,
                      %s: memref<4x8xf32, strided<[16, 2]>>, %t: memref<8x2xf32>, %u: memref<4x2xf32>,
                      %v: memref<2x4xf32>, %w: memref<4x8xf32>, %x: tensor<4x8xf32>, %y: tensor<8x2xf32>, %z: tensor<4x2xf32>) -> tensor<4x2xf32> {
  linalg.matmul ins(%a, %b : memref<4x8xf64>, memref<8x2xf64>) outs(%c : memref<4x2xf64>)
  linalg.matmul ins(%s, %t : memref<4x8xf32, strided<[16, 2]>>, memref<8x2xf32>) outs(%u : memref<4x2xf32>)
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (n, m)>]
      ins(%w, %t : memref<4x8xf32>, memref<8x2xf32>) outs(%v : memref<2x4xf32>)
  %r = linalg.matmul ins(%x, %y : tensor<4x8xf32>, tensor<8x2xf32>) outs(%z : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}
