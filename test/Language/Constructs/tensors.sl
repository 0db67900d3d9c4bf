// Tensor builtins and operators, each to its upstream form.
// RUN: sluice emit %s | FileCheck %s
fn activations(x: f32[4, 3]) -> f32 {
  let a = relu(x)
  let b = sigmoid(a)
  let c = gelu(b)
  return sum(c)
}
fn normalize(x: f32[4, 3]) -> f32 {
  return sum(softmax(x)) + sum(log_softmax(x))
}
fn products(m: f32[4, 3], v: f32[3], w: f32[4]) -> f32 {
  return sum(m @ v) + sum(w @ m)
}
fn picks(x: f32[4, 3], labels: int[4]) -> f32 {
  let hits = f32(argmax(x) == labels)
  return mean(hits) + mean(take_along(x, labels)) + x[1, 2]
}
fn scalars(a: f32, b: f32, n: int) -> f32 {
  return pow(a, b) + min(a, b) + max(a, 2.0) + f32(n % 3) + abs(a)
}
pipeline p {
  let x: f32[4, 3] = uniform(-1.0, 1.0)
  let v: f32[3] = ones()
  let w: f32[4] = ones()
  let labels = int(w)
  log activations(x)
  log normalize(x)
  log products(x, v, w)
  log picks(x, labels)
  log scalars(x[0, 0], 3.0, 7)
  log folded: scalars(2.0, 3.0, 7)
  log len(labels)
}
// CHECK-LABEL: func.func @p()
// CHECK-DAG: %[[FIFTEEN:.*]] = arith.constant 1.500000e+01 : f32
// CHECK: %[[X:.*]] = sluice.random_uniform {{.*}} : tensor<4x3xf32>
// relu is max(x, 0); sigmoid 1 / (1 + exp(-x)); gelu the exact erf form.
// CHECK: %[[R:.*]] = arith.maximumf %[[X]], %{{.*}} : tensor<4x3xf32>
// CHECK: %[[NEG:.*]] = arith.negf %[[R]] : tensor<4x3xf32>
// CHECK: %[[E:.*]] = math.exp %[[NEG]] : tensor<4x3xf32>
// CHECK: arith.divf
// CHECK: math.erf
// softmax over the last axis: max-shifted, exp, divided by the row sum.
// CHECK: %[[MAX:.*]] = linalg.reduce ins(%[[X]] : tensor<4x3xf32>) {{.*}} dimensions = [1]
// CHECK-NEXT: (%{{.*}}: f32, %{{.*}}: f32) {
// CHECK-NEXT: arith.maximumf
// CHECK: %[[MAXB:.*]] = linalg.broadcast ins(%[[MAX]] : tensor<4xf32>) {{.*}} dimensions = [1]
// CHECK: %[[SHIFT:.*]] = arith.subf %[[X]], %[[MAXB]] : tensor<4x3xf32>
// CHECK: %[[EXP:.*]] = math.exp %[[SHIFT]] : tensor<4x3xf32>
// CHECK: %[[SUM:.*]] = linalg.reduce ins(%[[EXP]] : tensor<4x3xf32>) {{.*}} dimensions = [1]
// CHECK: %[[SUMB:.*]] = linalg.broadcast ins(%[[SUM]] : tensor<4xf32>)
// CHECK: arith.divf %[[EXP]], %[[SUMB]] : tensor<4x3xf32>
// log_softmax: x - max - log(sum(exp(x - max))).
// CHECK: %[[LOG:.*]] = math.log %[[SUMB]] : tensor<4x3xf32>
// CHECK: arith.subf %[[SHIFT]], %[[LOG]] : tensor<4x3xf32>
// Matrix-vector and vector-matrix products.
// CHECK: linalg.matvec ins(%[[X]], %{{.*}} : tensor<4x3xf32>, tensor<3xf32>)
// CHECK: linalg.vecmat ins(%{{.*}}, %[[X]] : tensor<4xf32>, tensor<4x3xf32>)
// argmax == labels as floats, the labels' picks, and one element.
// CHECK: %[[AM:.*]] = sluice.argmax %[[X]] : tensor<4x3xf32> -> tensor<4xi64>
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[AM]], %{{.*}} : tensor<4xi64>
// CHECK: arith.uitofp %[[EQ]] : tensor<4xi1> to tensor<4xf32>
// CHECK: sluice.take_along %[[X]], %{{.*}} : tensor<4x3xf32>, tensor<4xi64> -> tensor<4xf32>
// CHECK: tensor.extract %[[X]][%c1, %c2] : tensor<4x3xf32>
// Scalars: pow, min, max, abs; int % and conversion.
// CHECK: math.powf
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: math.absf
// CHECK: sluice.log "scalars(x[0, 0], 3.0, 7)"
// With constant arguments it folds: 2^3 + 2 + 2 + (7 % 3) + 2 = 15.
// CHECK: sluice.log "folded" %[[FIFTEEN]] : f32
// len is the first dimension.
// CHECK: sluice.log "len(labels)" %c4_i64 : i64
