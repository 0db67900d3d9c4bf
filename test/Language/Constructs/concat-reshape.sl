// concat and reshape: a fresh tensor with both operands inserted along the
// axis, and tensor.reshape with the element counts checked at run time.
// RUN: sluice emit %s | FileCheck %s
param n: int = 3
pipeline p {
  let a: f32[2, 3] = zeros()
  let b: f32[2, 4] = ones()
  // CHECK: %[[E:.*]] = tensor.empty() : tensor<2x7xf32>
  // CHECK: %[[A:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x7xf32>
  // CHECK: tensor.insert_slice %{{.*}} into %[[A]][0, 3] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<2x7xf32>
  log s: sum(concat(a, b, axis: 1))
  // The sizes' product against the input's element count, then the shape.
  // CHECK: %[[N:.*]] = arith.index_cast %{{.*}} : i64 to index
  // CHECK: arith.cmpi ne
  // CHECK: call @sluice_rt_check_error
  // CHECK: %[[SHAPE:.*]] = tensor.from_elements %[[N]], %{{.*}} : tensor<2xindex>
  // CHECK: tensor.reshape %{{.*}}(%[[SHAPE]]) : (tensor<2x3xf32>, tensor<2xindex>) -> tensor<?x2xf32>
  log s: sum(reshape(a, [n, 2]))
}
