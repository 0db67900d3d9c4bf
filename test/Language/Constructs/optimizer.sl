// opt.step(loss): the gradient of the loss with respect to every trainable
// parameter of the model (sluice.grad, expanded by sluice-autodiff), then
// the optimizer's `update` rule once per parameter, with its state, carried
// through the loop.
// RUN: sluice emit %s | FileCheck %s
model Scale {
  k: f32[3] = uniform(0.0, 1.0)
  fn forward(self, x: f32[3]) -> f32[3] {
    return self.k * x
  }
}
optimizer Momentum(lr: f32, beta: f32 = 0.9) {
  state velocity = 0.0
  fn update(w: f32[*], g: f32[*], t: int) {
    velocity = beta * velocity + g
    w = w - lr * velocity
  }
}
pipeline p {
  let net = Scale()
  let opt = Momentum(net, lr: 0.1)
  let x: f32[3] = ones()
  for i in 0..4 {
    let loss = sum(net(x))
    opt.step(loss)
  }
  log final: sum(net.k)
}
// CHECK-LABEL: func.func @p()
// CHECK-DAG: %[[LR:.*]] = arith.constant dense<1.000000e-01> : tensor<3xf32>
// CHECK-DAG: %[[BETA:.*]] = arith.constant dense<0.899999976> : tensor<3xf32>
// The state starts as a tensor shaped like the parameter, filled with 0.0.
// CHECK-DAG: %[[V0:.*]] = arith.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: %[[K:.*]] = sluice.random_uniform {{.*}} : tensor<3xf32>
// CHECK: scf.for {{.*}} iter_args(%[[W:.*]] = %[[K]], %[[V:.*]] = %[[V0]], %[[T:.*]] = %{{.*}}) -> (tensor<3xf32>, tensor<3xf32>, i64)
// The gradient of sum(k * x) with respect to k (sluice-autodiff runs right
// after code generation): the loss's adjoint 1, spread over k's shape, times
// x. The forward loss itself is unused and folded away.
// CHECK:   %[[ONES:.*]] = linalg.broadcast
// CHECK:   %[[G:.*]] = arith.mulf %[[ONES]], %{{.*}} : tensor<3xf32>
// The step count t goes up by one.
// CHECK:   %[[T1:.*]] = arith.addi %[[T]], %c1_i64 : i64
// velocity = beta * velocity + g
// CHECK:   %[[BV:.*]] = arith.mulf %[[V]], %[[BETA]] : tensor<3xf32>
// CHECK:   %[[V1:.*]] = arith.addf %[[BV]], %[[G]] : tensor<3xf32>
// w = w - lr * velocity
// CHECK:   %[[STEP:.*]] = arith.mulf %[[V1]], %[[LR]] : tensor<3xf32>
// CHECK:   %[[W1:.*]] = arith.subf %[[W]], %[[STEP]] : tensor<3xf32>
// CHECK:   scf.yield %[[W1]], %[[V1]], %[[T1]] : tensor<3xf32>, tensor<3xf32>, i64
// The trained parameter is the loop's result.
// CHECK: sluice.log "final"
