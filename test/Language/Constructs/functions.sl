// Functions are inlined at each call; defaults fill missing arguments; a
// generic dimension takes the caller's size.
// RUN: sluice emit %s | FileCheck %s
fn axpy(a: f32, x: f32[N], y: f32[N]) -> f32[N] {
  return a * x + y
}
fn twice(v: int, factor: int = 2) -> int {
  return v * factor
}
fn count(x: f32[N]) -> int {
  return N
}
pipeline p {
  let x: f32[8] = ones()
  let y: f32[8] = zeros()
  log sum(axpy(3.0, x, y))
  log twice(21)
  log twice(5, factor: 3)
  log count(x)
}
// CHECK-LABEL: func.func @p()
// No calls remain: everything is inlined.
// CHECK-NOT: call
// a * x: the scalar 3.0 is splat to x's shape (a constant here), then
// multiplied and added.
// CHECK: %[[A:.*]] = arith.constant dense<3.000000e+00> : tensor<8xf32>
// CHECK: %[[AX:.*]] = arith.mulf %{{.*}}, %[[A]] : tensor<8xf32>
// CHECK: arith.addf %[[AX]], %{{.*}} : tensor<8xf32>
// CHECK: linalg.reduce
// twice(21) and twice(5, factor: 3) fold to constants.
// CHECK: sluice.log "twice(21)" %c42_i64 : i64
// CHECK: sluice.log "twice(5, factor: 3)" %c15_i64 : i64
// N is the size of the argument that carries it.
// CHECK: sluice.log "count(x)" %c8_i64 : i64
// CHECK-LABEL: func.func @main
