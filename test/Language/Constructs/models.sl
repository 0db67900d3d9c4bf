// A model instance is its trainable parameters; constructor arguments give
// their shapes; a member call is the sub-model's `forward`, inlined.
// RUN: sluice emit %s | FileCheck %s
param width: int = 16
model Affine(inputs: int, outputs: int) {
  weight: f32[outputs, inputs] = uniform(-0.5, 0.5)
  shift: f32[outputs] = zeros()
  fn forward(self, x: f32[?, inputs]) -> f32[?, outputs] {
    return x @ transpose(self.weight) + self.shift
  }
}
model Two {
  first = Affine(4, width)
  second = Affine(width, 3)
  fn forward(self, x: f32[?, 4]) -> f32[?, 3] {
    return self.second(tanh(self.first(x)))
  }
}
pipeline p {
  let net = Two()
  let x: f32[5, 4] = ones()
  log mean(net(x))
}
// CHECK-LABEL: func.func @p()
// CHECK: %[[W:.*]] = sluice.param_value @width : i64
// CHECK: %[[WIDTH:.*]] = arith.index_cast %[[W]] : i64 to index
// A static argument makes a static dimension; a parameter a dynamic one.
// CHECK: %[[W1:.*]] = sluice.random_uniform %{{.*}}, %{{.*}} seed 0 [%[[WIDTH]]] : tensor<?x4xf32>
// CHECK: %[[S1:.*]] = linalg.fill {{.*}} -> tensor<?xf32>
// CHECK: %[[W2:.*]] = sluice.random_uniform %{{.*}}, %{{.*}} seed 1 [%[[WIDTH]]] : tensor<3x?xf32>
// CHECK: %[[S2:.*]] = linalg.fill {{.*}} -> tensor<3xf32>
// forward: x @ W1^T + b1, tanh, then the second layer.
// CHECK: %[[T1:.*]] = linalg.transpose ins(%[[W1]] : tensor<?x4xf32>)
// CHECK: %[[M1:.*]] = linalg.matmul ins(%{{.*}}, %[[T1]] : tensor<5x4xf32>, tensor<4x?xf32>)
// CHECK: %[[B1:.*]] = linalg.broadcast ins(%[[S1]] : tensor<?xf32>)
// CHECK: %[[H:.*]] = arith.addf %[[M1]], %[[B1]] : tensor<5x?xf32>
// CHECK: %[[TH:.*]] = math.tanh %[[H]] : tensor<5x?xf32>
// CHECK: %[[T2:.*]] = linalg.transpose ins(%[[W2]] : tensor<3x?xf32>)
// CHECK: linalg.matmul ins(%[[TH]], %[[T2]] : tensor<5x?xf32>, tensor<?x3xf32>)
// CHECK: sluice.log "mean(net(x))"
