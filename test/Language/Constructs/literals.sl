// A number literal takes the type of the other operand, on either side.
// RUN: sluice emit %s | FileCheck %s
param lr: f32 = 0.25
param wide: f64 = 0.1
param k: int = 3

pipeline p {
  log a: 1 - lr
  log b: 0.5 * wide
  log c: int(0 < lr)
  log d: min(0.5, wide)
  log e: pow(2.0, lr)
  log f: 2 * k
}
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[HALF64:.*]] = arith.constant 5.000000e-01 : f64
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-DAG: %[[LR:.*]] = sluice.param_value @lr : f32
// CHECK-DAG: %[[WIDE:.*]] = sluice.param_value @wide : f64
// CHECK: %[[A:.*]] = arith.subf %[[ONE]], %[[LR]] : f32
// CHECK: sluice.log "a" %[[A]] : f32
// CHECK: %[[B:.*]] = arith.mulf %[[WIDE]], %[[HALF64]] : f64
// CHECK: sluice.log "b" %[[B]] : f64
// CHECK: arith.cmpf olt, %[[ZERO]], %[[LR]] : f32
// CHECK: %[[D:.*]] = arith.minimumf %[[WIDE]], %[[HALF64]] : f64
// CHECK: sluice.log "d" %[[D]] : f64
// CHECK: math.powf %[[TWO]], %[[LR]] : f32
// CHECK: %[[F:.*]] = arith.muli %{{.*}}, %c2_i64 : i64
// CHECK: sluice.log "f" %[[F]] : i64
